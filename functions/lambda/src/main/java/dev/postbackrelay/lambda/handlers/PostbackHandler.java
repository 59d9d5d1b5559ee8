package dev.postbackrelay.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.lambda.http.HttpRequests;
import dev.postbackrelay.lambda.http.HttpResponses;
import dev.postbackrelay.lambda.metrics.Metrics;
import dev.postbackrelay.logs.RefusalRecorder;
import dev.postbackrelay.logs.RefusedPostback;
import dev.postbackrelay.postback.InboundPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.postback.PostbackService;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code GET|POST /postback}: answers 200 once the postback is durably queued. {@code return=}
 * chooses a plain-text reply body instead of JSON, as Keitaro's networks expect.
 */
@Named("postback")
public class PostbackHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Inject
  PostbackService postbacks;
  @Inject
  Metrics metrics;
  @Inject
  RefusalRecorder refusals;
  @Inject
  Clock clock;

  private static final Logger LOG = Logger.getLogger(PostbackHandler.class);
  private final PostbackIds refusalIds = new PostbackIds();

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String requestId = HttpRequests.requestId(event);
    MDC.put("request_id", requestId);
    Params params = null;
    try {
      params = HttpRequests.queryAndBody(event);
      Postback accepted = postbacks.accept(new InboundPostback(params, HttpRequests.method(event),
          HttpRequests.path(event), HttpRequests.sourceIp(event)));
      MDC.put("postback_id", accepted.postbackId());
      metrics.count("Accepted", null);
      var reply = params.first(Param.RETURN).filter(r -> !r.equalsIgnoreCase("json")).map(ReturnBody::sanitise);
      var response = reply.isPresent() ? HttpResponses.text(200, reply.get())
          : HttpResponses.json(200, HttpResponses.object().put("status", "accepted").put("postback_id", accepted.postbackId()));
      return HttpResponses.withHeader(response, "x-postback-id", accepted.postbackId());
    } catch (RuntimeException e) {
      if (e instanceof RejectedException r) {
        metrics.count("Rejected", r.reason().code());
        logRefusal(event, params, r);
      }
      return HttpResponses.failure(e, requestId);
    } finally {
      MDC.clear();
    }
  }

  /** The query string's parameters, when it was the body that could not be read (413, 415, bad JSON); else null. */
  private static Params queryAlone(APIGatewayV2HTTPEvent event) {
    try {
      return Params.of(HttpRequests.query(event));
    } catch (RejectedException unreadable) {
      return null;
    }
  }

  /** Keeps the refusal for the received-postbacks log (under its cap); never changes the reply. */
  private void logRefusal(APIGatewayV2HTTPEvent event, Params params, RejectedException refusal) {
    try {
      Instant now = clock.instant();
      refusals.record(RefusedPostback.of(refusalIds.next(now), now, HttpRequests.method(event),
          HttpRequests.sourceIp(event), params != null ? params : queryAlone(event), refusal));
    } catch (RuntimeException e) {
      LOG.warnf("refused postback not logged: %s", e.getClass().getSimpleName());
    }
  }
}
