package dev.postbackrelay.lambda.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.lambda.config.RelayConfig;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class SnapStartPrimingTest {

  @Test
  void beforeCheckpoint_makesOneHarmlessReadThroughTheRealClient() {
    LocalAws aws = LocalAws.shared();
    List<String> requests = new ArrayList<>();
    SnapStartPriming priming = new SnapStartPriming();
    priming.dynamo = DynamoDbClient.builder().endpointOverride(URI.create(aws.dynamoEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            requests.add(context.request().getClass().getSimpleName() + " " + context.httpResponse().statusCode());
          }
        })).build();
    priming.config = (RelayConfig) Proxy.newProxyInstance(RelayConfig.class.getClassLoader(),
        new Class<?>[] {RelayConfig.class}, (proxy, method, args) -> {
          if (method.getName().equals("campaignsTable")) {
            return "CampaignsTable";
          }
          throw new UnsupportedOperationException(method.getName());
        });

    priming.beforeCheckpoint(null);

    assertEquals(List.of("GetItemRequest 200"), requests, "one successful read, nothing written");
  }
}
