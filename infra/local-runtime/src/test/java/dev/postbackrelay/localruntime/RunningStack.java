package dev.postbackrelay.localruntime;

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
 * The local stack as a user starts it: {@code java -jar infra/local-runtime/target/local-runtime.jar}
 * from the repository root, as a child process, on a free port, ready once it prints
 * {@code LOCAL STACK READY}. Assumes (skips the test class) until the artifacts are built.
 */
final class RunningStack implements AutoCloseable {

  private final Process process;
  private final String baseUrl;
  private final String adminToken;
  private final List<String> output;

  private RunningStack(Process process, String baseUrl, String adminToken, List<String> output) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.adminToken = adminToken;
    this.output = output;
  }

  /**
   * Starts the stack and waits until it is ready.
   *
   * @param env extra environment for the stack ({@code RELAY_*} ones reach the functions)
   */
  static RunningStack start(String adminToken, Map<String, String> env, Duration readyTimeout) throws Exception {
    Path repo = Path.of(System.getProperty("localruntime.repo-root", "../..")).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(repo.resolve("functions/lambda/target/function.zip")),
        "needs functions/lambda/target/function.zip (mvn -DskipTests package)");
    Path jar = repo.resolve("infra/local-runtime/target/local-runtime.jar");
    assumeTrue(Files.isRegularFile(jar), "needs " + jar);

    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", jar.toString())
        .directory(repo.toFile()).redirectErrorStream(true);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("ADMIN_TOKEN", adminToken);
    builder.environment().putAll(env);
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    RunningStack stack = new RunningStack(process, "http://127.0.0.1:" + port, adminToken, output);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.add(line);
          System.out.println("[stack] " + line);
          if (line.startsWith("LOCAL STACK READY ")) {
            ready.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the stack is gone
      }
      ready.completeExceptionally(new IllegalStateException("the stack exited before READY"));
    }, "stack-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(readyTimeout.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      stack.close();
      throw new IllegalStateException("the stack did not become ready within " + readyTimeout + ":\n"
          + String.join("\n", output), e);
    }
    return stack;
  }

  /** The stack's own process (tests of its shutdown). */
  Process process() {
    return process;
  }

  String baseUrl() {
    return baseUrl;
  }

  String adminToken() {
    return adminToken;
  }

  /** Everything the stack (and its functions) printed so far. */
  String output() {
    return String.join("\n", output);
  }

  /** Stops the stack with SIGTERM, as Ctrl-C would, then kills whatever of its tree is left. */
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }
}
