package dev.postbackrelay.lambda.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.common.QueueUnavailableException;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Builds HTTP API responses, and maps every failure to its status code in one place: a
 * {@link RejectedException} to its reason's status and code, a {@link QueueUnavailableException}
 * to 503 {@code queue_unavailable}, an AWS SDK failure that says the service is unreachable, slow
 * or overloaded (no answer within the call's time-outs, a refused or reset connection, a 5xx or a
 * throttling error left after the SDK's retries) to 503 {@code store_unavailable}, both with
 * {@code Retry-After}; anything else to 500 with the request id (details only in the log).
 */
public final class HttpResponses {

  private static final Logger LOG = Logger.getLogger(HttpResponses.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, String> JSON = Map.of("content-type", "application/json", "cache-control", "no-store");
  /** Seconds a caller should wait before retrying after a 503. */
  static final String RETRY_AFTER_SECONDS = "5";

  private HttpResponses() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static APIGatewayV2HTTPResponse json(int status, ObjectNode body) {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(JSON).withBody(body.toString()).build();
  }

  /** The same response with one more header. */
  public static APIGatewayV2HTTPResponse withHeader(APIGatewayV2HTTPResponse response, String name, String value) {
    Map<String, String> headers = new HashMap<>(response.getHeaders());
    headers.put(name, value);
    response.setHeaders(headers);
    return response;
  }

  public static APIGatewayV2HTTPResponse text(int status, String body) {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
        .withHeaders(Map.of("content-type", "text/plain; charset=utf-8", "cache-control", "no-store"))
        .withBody(body).build();
  }

  public static APIGatewayV2HTTPResponse redirect(String location) {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(302)
        .withHeaders(Map.of("location", location, "cache-control", "no-store", "referrer-policy", "no-referrer-when-downgrade"))
        .build();
  }

  public static APIGatewayV2HTTPResponse error(Reason reason, String message) {
    ObjectNode body = object().put("error", reason.code()).put("message", message);
    return json(reason.httpStatus(), body);
  }

  /** The one place where failures become HTTP responses. */
  public static APIGatewayV2HTTPResponse failure(RuntimeException e, String requestId) {
    if (e instanceof RejectedException r) {
      ObjectNode body = object().put("error", r.reason().code()).put("message", r.getMessage());
      if (r.parameter() != null) {
        body.put("parameter", r.parameter());
      }
      if (r.value() != null) {
        body.put("value", r.value());
      }
      return json(r.reason().httpStatus(), body);
    }
    if (e instanceof QueueUnavailableException) {
      LOG.errorf(e, "conversion queue unavailable (request %s)", requestId);
      return retryLater(Reason.QUEUE_UNAVAILABLE);
    }
    if (isServiceUnavailable(e)) {
      LOG.errorf(e, "storage unavailable (request %s)", requestId);
      return retryLater(Reason.STORE_UNAVAILABLE);
    }
    LOG.errorf(e, "unexpected failure (request %s)", requestId);
    return error(Reason.INTERNAL_ERROR, "Something went wrong on our side (request " + requestId + ").");
  }

  private static APIGatewayV2HTTPResponse retryLater(Reason reason) {
    return withHeader(error(reason, reason.sentence()), "retry-after", RETRY_AFTER_SECONDS);
  }

  /**
   * Whether {@code e} (or a cause) is the SDK saying the service could not be reached or served
   * us in time: a client-side failure (time-outs, refused or reset connections) or a service
   * answer of 5xx or throttling. A 4xx such as a missing table is our bug and stays a 500.
   */
  static boolean isServiceUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SdkClientException) {
        return true;
      }
      if (t instanceof SdkServiceException service) {
        return service.statusCode() >= 500 || service.isThrottlingException();
      }
    }
    return false;
  }
}
