package dev.postbackrelay.lambda.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.postbackrelay.lambda.admin.ReportsApi;
import dev.postbackrelay.lambda.http.HttpResponses;
import java.util.Map;

/** A report as its HTTP answer: JSON, or CSV with a header row. */
final class ReturnReport {

  private ReturnReport() {}

  static APIGatewayV2HTTPResponse of(ReportsApi.Answer answer) {
    if (answer.csv() == null) {
      return HttpResponses.json(200, answer.json());
    }
    return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withHeaders(Map.of("content-type", "text/csv; charset=utf-8; header=present", "cache-control", "no-store"))
        .withBody(answer.csv()).build();
  }
}
