package dev.postbackrelay.localaws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalAwsEndpointsTest {

  private final LocalAwsEndpoints endpoints = new LocalAwsEndpoints("http://127.0.0.1:8000", "http://127.0.0.1:9324");

  @Test
  void readyLine_namesBothEndpoints() {
    assertEquals("READY dynamodb=http://127.0.0.1:8000 sqs=http://127.0.0.1:9324", endpoints.readyLine());
  }

  @Test
  void readyLine_readsBack() {
    assertEquals(Optional.of(endpoints), LocalAwsEndpoints.fromReadyLine(endpoints.readyLine()));
  }

  @Test
  void readyLine_isFoundBehindOutputWithoutANewline() {
    assertEquals(Optional.of(endpoints), LocalAwsEndpoints.fromReadyLine("WARN something" + endpoints.readyLine()));
  }

  @Test
  void otherLines_announceNothing() {
    assertEquals(Optional.empty(), LocalAwsEndpoints.fromReadyLine("Initializing DynamoDB Local"));
    assertEquals(Optional.empty(), LocalAwsEndpoints.fromReadyLine("READY dynamodb=http://127.0.0.1:8000"));
  }

  @Test
  void queueUrl_isUnderTheLocalAccount() {
    assertEquals("http://127.0.0.1:9324/000000000000/WorkQueue", endpoints.queueUrl("WorkQueue"));
  }
}
