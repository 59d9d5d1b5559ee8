package dev.postbackrelay.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.postbackrelay.click.ClickRequest;
import dev.postbackrelay.click.ClickResult;
import dev.postbackrelay.click.ClickService;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.lambda.http.HttpRequests;
import dev.postbackrelay.lambda.http.HttpResponses;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.MDC;

/** {@code GET /click}: records the click and redirects to the campaign's landing page. */
@Named("click")
public class ClickHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Inject
  ClickService clicks;

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String requestId = HttpRequests.requestId(event);
    MDC.put("request_id", requestId);
    try {
      Params params = Params.of(HttpRequests.query(event));
      ClickResult result = clicks.register(new ClickRequest(params, HttpRequests.sourceIp(event),
          HttpRequests.header(event, "user-agent"), HttpRequests.header(event, "referer"),
          HttpRequests.header(event, "cloudfront-viewer-country")));
      MDC.put("click_id", result.clickId());
      if (params.first(Param.FORMAT).filter("json"::equalsIgnoreCase).isPresent()) {
        return HttpResponses.json(200, HttpResponses.object()
            .put("click_id", result.clickId()).put("redirect_url", result.redirectUrl()));
      }
      return HttpResponses.redirect(result.redirectUrl());
    } catch (RuntimeException e) {
      return HttpResponses.failure(e, requestId);
    } finally {
      MDC.clear();
    }
  }
}
