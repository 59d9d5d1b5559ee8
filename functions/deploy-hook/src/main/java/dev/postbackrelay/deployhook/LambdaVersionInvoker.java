package dev.postbackrelay.deployhook;

import java.time.Duration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** {@link VersionInvoker} over the Lambda {@code Invoke} API (request-response). */
final class LambdaVersionInvoker implements VersionInvoker {

  /**
   * How long one probe may take, restore from the snapshot included: a healthy version answers in
   * well under a second, and five of these fit in the hook's Timeout (template.yaml), so a version
   * that hangs fails the deployment instead of leaving CodeDeploy waiting for a report.
   */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

  private final LambdaClient lambda;

  LambdaVersionInvoker(LambdaClient lambda) {
    this.lambda = lambda;
  }

  /** A client for the runtime's region and credentials. */
  static LambdaVersionInvoker create() {
    return new LambdaVersionInvoker(client(LambdaClient.builder(), PROBE_TIMEOUT));
  }

  /** A client whose every invocation gives up after {@code timeout}, retries included. */
  static LambdaClient client(LambdaClientBuilder builder, Duration timeout) {
    return builder.httpClient(UrlConnectionHttpClient.builder().socketTimeout(timeout).build())
        .overrideConfiguration(c -> c.apiCallTimeout(timeout))
        .build();
  }

  @Override
  public String invoke(String functionArn, String payload) {
    InvokeResponse response;
    try {
      response = lambda.invoke(r -> r.functionName(functionArn).payload(SdkBytes.fromUtf8String(payload)));
    } catch (SdkException e) {
      throw new InvocationFailedException(functionArn + " could not be invoked: " + e.getMessage(), e);
    }
    String answer = response.payload() == null ? "" : response.payload().asUtf8String();
    if (response.functionError() != null) {
      throw new InvocationFailedException(functionArn + " raised " + response.functionError() + ": " + answer);
    }
    return answer;
  }
}
