package dev.postbackrelay.localruntime.localaws;

import dev.postbackrelay.localruntime.process.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DynamoDB Local and ElasticMQ stand-ins ({@code local-aws.jar}) as a child process that
 * provisions the template's tables and queues. Its standard input stays an open pipe, so it exits
 * when we do, however we die; {@link #close()} also stops it explicitly.
 */
public final class LocalAwsProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("READY dynamodb=(\\S+) sqs=(\\S+)");
  private static final String NAME = "local-aws";

  private final Process process;
  private final String dynamoEndpoint;
  private final String sqsEndpoint;

  private LocalAwsProcess(Process process, String dynamoEndpoint, String sqsEndpoint) {
    this.process = process;
    this.dynamoEndpoint = dynamoEndpoint;
    this.sqsEndpoint = sqsEndpoint;
  }

  /**
   * Starts {@code jar} on {@code template} and waits for its READY line.
   *
   * @throws IllegalStateException it exited or did not report READY within {@code timeout}
   */
  public static LocalAwsProcess start(Path jar, Path template, List<String> extraArgs, Duration timeout) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (mvn -q -DskipTests package)");
    }
    List<String> command = new ArrayList<>(List.of(ChildProcesses.javaExecutable(), "-jar", jar.toString(),
        "--template", template.toString()));
    command.addAll(extraArgs);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + jar, e);
    }
    CompletableFuture<Matcher> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> copyOutput(process, ready), "output-" + NAME);
    reader.setDaemon(true);
    reader.start();
    try {
      Matcher m = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new LocalAwsProcess(process, m.group(1), m.group(2));
    } catch (TimeoutException e) {
      ChildProcesses.stop(process, Duration.ofSeconds(2));
      throw new IllegalStateException(NAME + " did not report READY within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      ChildProcesses.stop(process, Duration.ofSeconds(2));
      throw new IllegalStateException(e.getCause().getMessage());
    } catch (InterruptedException e) {
      ChildProcesses.stop(process, Duration.ofSeconds(2));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + NAME);
    }
  }

  private static void copyOutput(Process process, CompletableFuture<Matcher> ready) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        Matcher m = READY.matcher(line);
        if (!ready.isDone() && m.find()) {
          ready.complete(m);
        } else {
          ChildProcesses.println("[" + NAME + "] " + line);
        }
      }
    } catch (IOException ignored) {
      // the process is gone
    }
    ready.completeExceptionally(new IllegalStateException(NAME + " exited before it was ready (exit status "
        + process.onExit().join().exitValue() + "); see its output above"));
  }

  public String dynamoEndpoint() {
    return dynamoEndpoint;
  }

  public String sqsEndpoint() {
    return sqsEndpoint;
  }

  /** Completes when the stand-ins' process ends, for whatever reason. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return;
      }
    } catch (IOException ignored) {
      // stopping anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ChildProcesses.stop(process, Duration.ofSeconds(3));
  }
}
