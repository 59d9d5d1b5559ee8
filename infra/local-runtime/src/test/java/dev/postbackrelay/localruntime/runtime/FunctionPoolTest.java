package dev.postbackrelay.localruntime.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.localruntime.template.FunctionDefinition;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution environments with the real runtime interface client in child JVMs, running
 * {@code ScriptedHandler} from the test classes as its task root.
 */
class FunctionPoolTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static FunctionPool pool;

  @BeforeAll
  static void start(@TempDir Path work) throws URISyntaxException {
    Path taskRoot = Path.of(FunctionPoolTest.class.getResource("/sample-template.yaml").toURI()).getParent();
    FunctionDefinition function = new FunctionDefinition("ScriptedFunction", taskRoot,
        "dev.postbackrelay.localruntime.testfn.ScriptedHandler::handleRequest", 2, 256,
        Map.of("ECHO_ENV", "from-template"), List.of(), List.of());
    pool = new FunctionPool(function, LambdaJavaRuntime.extractTo(work.resolve("runtime")), taskRoot, 2,
        Duration.ofSeconds(10));
    pool.start();
    pool.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void invocation_runsTheHandlerWithContextAndEnvironment() throws IOException {
    JsonNode answer = invoke("\"hello\"");
    assertEquals("hello", answer.get("echo").asText());
    assertEquals("ScriptedFunction", answer.get("function").asText());
    assertEquals("from-template", answer.get("env").asText());
    long remaining = answer.get("remainingMs").asLong();
    assertTrue(remaining > 0 && remaining <= 2000, "deadline from the function timeout: " + remaining);
  }

  @Test
  void handlerException_isAFunctionError_andTheEnvironmentLivesOn() throws IOException {
    FunctionErrorException error = assertThrows(FunctionErrorException.class,
        () -> pool.invoke("\"fail\"".getBytes(StandardCharsets.UTF_8)));
    JsonNode document = JSON.readTree(error.errorPayload());
    assertEquals("scripted failure", document.get("errorMessage").asText());
    assertEquals("java.lang.IllegalStateException", document.get("errorType").asText());
    assertEquals("again", invoke("\"again\"").get("echo").asText());
  }

  @Test
  void timeout_failsTheInvocation_andANewEnvironmentTakesOver() throws IOException {
    assertThrows(FunctionTimeoutException.class, () -> pool.invoke("\"sleep:5000\"".getBytes(StandardCharsets.UTF_8)));
    assertEquals("after-timeout", invoke("\"after-timeout\"").get("echo").asText());
  }

  @Test
  void runtimeExit_isARuntimeExitError_andANewEnvironmentTakesOver() throws IOException {
    FunctionErrorException error = assertThrows(FunctionErrorException.class,
        () -> pool.invoke("\"exit\"".getBytes(StandardCharsets.UTF_8)));
    assertEquals("Runtime.ExitError", JSON.readTree(error.errorPayload()).get("errorType").asText());
    assertEquals("after-exit", invoke("\"after-exit\"").get("echo").asText());
  }

  @Test
  void eachEnvironment_runsOneInvocationAtATime() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      long started = System.nanoTime();
      List<Future<JsonNode>> answers = callers.invokeAll(List.of(
          () -> invoke("\"sleep:600\""), () -> invoke("\"sleep:600\""),
          () -> invoke("\"sleep:600\""), () -> invoke("\"sleep:600\"")));
      Set<Long> pids = ConcurrentHashMap.newKeySet();
      for (Future<JsonNode> answer : answers) {
        pids.add(answer.get().get("pid").asLong());
      }
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(2, pids.size(), "two environments share the work");
      assertTrue(elapsedMs >= 1200, "four 600 ms invocations on two environments take two rounds: " + elapsedMs);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void differentEnvironments_areDifferentProcesses() throws IOException {
    assertNotEquals(ProcessHandle.current().pid(), invoke("\"x\"").get("pid").asLong());
  }

  private static JsonNode invoke(String event) throws IOException {
    return JSON.readTree(pool.invoke(event.getBytes(StandardCharsets.UTF_8)));
  }
}
