package dev.postbackrelay.relay;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The local stack for the console's browser test, started as an operator starts it
 * ({@code java -jar infra/local-runtime/target/local-runtime.jar} from the repository root) on a
 * free port, with its stack file in a directory of its own; ready once it prints
 * {@code LOCAL STACK READY}. Skips the test where the artifacts are not built.
 */
final class ConsoleTestStack implements AutoCloseable {

  private final Process process;
  private final String baseUrl;
  private final List<String> output;

  private ConsoleTestStack(Process process, String baseUrl, List<String> output) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.output = output;
  }

  /** Starts the stack with {@code env} added ({@code RELAY_*} reach the functions) and waits until it is ready. */
  static ConsoleTestStack start(String adminToken, Map<String, String> env, Duration readyTimeout) throws Exception {
    Path repo = Path.of(System.getProperty("relay.repo-root", "..")).toAbsolutePath().normalize();
    Path jar = repo.resolve("infra/local-runtime/target/local-runtime.jar");
    assumeTrue(Files.isRegularFile(repo.resolve("functions/lambda/target/function.zip")) && Files.isRegularFile(jar),
        "needs function.zip and local-runtime.jar: mvn -DskipTests package first");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString()).directory(repo.toFile())
        .redirectErrorStream(true);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("ADMIN_TOKEN", adminToken);
    builder.environment().put("RELAY_LOCAL_STACK_FILE",
        Files.createTempDirectory("console-stack-").resolve("local-stack.json").toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.add(line);
          if (line.startsWith("LOCAL STACK READY ")) {
            ready.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the stack is gone
      }
      ready.completeExceptionally(new IllegalStateException("the stack exited before READY"));
    }, "console-stack-output");
    reader.setDaemon(true);
    reader.start();
    ConsoleTestStack stack = new ConsoleTestStack(process, "http://127.0.0.1:" + port, output);
    try {
      ready.get(readyTimeout.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      stack.close();
      throw new IllegalStateException("the stack did not start within " + readyTimeout + ":\n" + stack.output(), e);
    }
    return stack;
  }

  String baseUrl() {
    return baseUrl;
  }

  String output() {
    return String.join("\n", output);
  }

  /** SIGTERM, as Ctrl-C; then whatever of its process tree is left is killed. */
  @Override
  public void close() {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
