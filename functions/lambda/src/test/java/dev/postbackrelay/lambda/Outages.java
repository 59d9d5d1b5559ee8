package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Invokes a handler while a dependency is down, as Lambda would: cut off at the function's timeout. */
final class Outages {

  /** The HTTP functions' {@code Timeout} in template.yaml (Globals). */
  static final long FUNCTION_TIMEOUT_MS = 10_000;
  /** What a caller may wait for an honest "try again": well inside the timeout. */
  static final long ANSWER_WITHIN_MS = 3_000;

  private Outages() {}

  /**
   * Sends {@code event} once while every dependency answers, as a warm execution environment has
   * (SnapStart primes the deployed ones): the time measured during the outage is then the
   * outage's, not class loading's.
   */
  static void warmUp(JsonNode event) {
    Events.invoke(event);
  }

  /** The response, which must be a JSON 503 with {@code reason}, a Retry-After header, within 3 s. */
  static JsonNode assertFastUnavailable(JsonNode event, String reason) {
    long start = System.nanoTime();
    JsonNode response;
    try {
      response = CompletableFuture.supplyAsync(() -> Events.invoke(event)).get(FUNCTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail("no answer within the function's " + FUNCTION_TIMEOUT_MS + " ms timeout: Lambda would cut it off");
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    String summary = "status " + response.path("statusCode").asInt() + " after " + elapsed + " ms: "
        + response.path("headers") + " " + response.path("body").asText();
    assertEquals(503, response.path("statusCode").asInt(), summary);
    assertEquals("application/json", response.path("headers").path("content-type").asText(), summary);
    assertEquals(reason, Events.body(response).path("error").asText(), summary);
    assertFalse(Events.body(response).path("message").asText().isBlank(), summary);
    assertTrue(response.path("headers").path("retry-after").asText().matches("[1-9][0-9]*"), summary);
    assertTrue(elapsed < ANSWER_WITHIN_MS, summary);
    return response;
  }
}
