package dev.postbackrelay.lambda.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.lambda.config.RelayConfig;
import dev.postbackrelay.lambda.http.HttpRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may call admin routes. With an admin token configured (the local stack), a matching
 * {@code Authorization: Bearer} header, compared in constant time. Without one (deployed), the
 * request must carry the IAM identity that API Gateway's AWS_IAM authorizer verified; a request
 * that reached the function any other way is refused.
 */
@ApplicationScoped
public class AdminAuth {

  @Inject
  RelayConfig config;

  public void check(APIGatewayV2HTTPEvent event) {
    var token = config.admin().token();
    if (token.isPresent()) {
      String header = HttpRequests.header(event, "authorization");
      String sent = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
      if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
        throw new RejectedException(Reason.UNAUTHORIZED);
      }
      return;
    }
    var context = event.getRequestContext();
    var authorizer = context == null ? null : context.getAuthorizer();
    if (authorizer == null || authorizer.getIam() == null || authorizer.getIam().getUserArn() == null) {
      throw new RejectedException(Reason.UNAUTHORIZED);
    }
  }
}
