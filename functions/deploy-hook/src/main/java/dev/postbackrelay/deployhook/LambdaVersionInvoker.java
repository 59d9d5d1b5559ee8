package dev.postbackrelay.deployhook;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** {@link VersionInvoker} over the Lambda {@code Invoke} API (request-response). */
final class LambdaVersionInvoker implements VersionInvoker {

  private final LambdaClient lambda;

  LambdaVersionInvoker(LambdaClient lambda) {
    this.lambda = lambda;
  }

  /** A client for the runtime's region and credentials. */
  static LambdaVersionInvoker create() {
    return new LambdaVersionInvoker(LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
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
