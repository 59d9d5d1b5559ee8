package dev.postbackrelay.localaws.client;

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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The DynamoDB Local and ElasticMQ stand-ins ({@code local-aws.jar}) as a child process: started,
 * waited for until its READY line, stopped. Its standard input stays an open pipe, so it exits when
 * we do, however we die; {@link #close()} also stops it explicitly. {@link #provision} runs the
 * same jar once against endpoints someone else runs.
 */
public final class LocalAwsProcess implements AutoCloseable {

  private static final String NAME = "local-aws";

  /**
   * How to start it: options for its JVM, arguments after {@code --template} (such as
   * {@code --db-path DIR}), how long to wait for READY and where its output lines go.
   */
  public record Options(List<String> jvmOptions, List<String> arguments, Duration timeout, Consumer<String> output) {

    /** No JVM options or arguments, 90 s to become ready, output on ours behind {@code [local-aws]}. */
    public static Options defaults() {
      return new Options(List.of(), List.of(), Duration.ofSeconds(90),
          line -> System.out.println("[" + NAME + "] " + line));
    }

    public Options withJvmOptions(List<String> jvmOptions) {
      return new Options(List.copyOf(jvmOptions), arguments, timeout, output);
    }

    public Options withArguments(List<String> arguments) {
      return new Options(jvmOptions, List.copyOf(arguments), timeout, output);
    }

    public Options withTimeout(Duration timeout) {
      return new Options(jvmOptions, arguments, timeout, output);
    }

    /** Every line it prints but the READY line; {@code line -> {}} drops them. */
    public Options withOutput(Consumer<String> output) {
      return new Options(jvmOptions, arguments, timeout, output);
    }
  }

  private final Process process;
  private final LocalAwsEndpoints endpoints;

  private LocalAwsProcess(Process process, LocalAwsEndpoints endpoints) {
    this.process = process;
    this.endpoints = endpoints;
  }

  /** Where the jar is built in a checkout: {@code infra/local-aws/target/local-aws.jar}. */
  public static Path jar(Path repositoryRoot) {
    return repositoryRoot.resolve("infra/local-aws/target/local-aws.jar");
  }

  /**
   * Starts {@code jar}, with the tables and queues of {@code template} unless it is {@code null},
   * and waits for its READY line.
   *
   * @throws IllegalStateException the jar is missing, or it exited or did not report READY in time
   */
  public static LocalAwsProcess start(Path jar, Path template, Options options) {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(options.jvmOptions());
    command.addAll(List.of("-jar", existing(jar).toString()));
    if (template != null) {
      command.addAll(List.of("--template", template.toString()));
    }
    command.addAll(options.arguments());
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + jar, e);
    }
    CompletableFuture<LocalAwsEndpoints> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> readOutput(process, ready, options.output()), "output-" + NAME);
    reader.setDaemon(true);
    reader.start();
    Duration timeout = options.timeout();
    try {
      return new LocalAwsProcess(process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      stop(process);
      throw new IllegalStateException(NAME + " did not report READY within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      stop(process);
      throw new IllegalStateException(e.getCause().getMessage());
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + NAME);
    }
  }

  /**
   * Creates {@code template}'s tables and queues on stand-ins that are already running (LocalStack
   * in the Testcontainers tests), with the jar's {@code Provision} entry point; its output is ours.
   *
   * @throws IllegalStateException the jar is missing or provisioning failed
   */
  public static void provision(Path jar, LocalAwsEndpoints on, Path template) {
    try {
      Process p = new ProcessBuilder(java(), "-cp", existing(jar).toString(), "dev.postbackrelay.localaws.Provision",
          "--dynamodb", on.dynamodb(), "--sqs", on.sqs(), "--template", template.toString())
          .inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("provisioning failed with exit code " + p.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot provision with " + jar, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while provisioning", e);
    }
  }

  private static void readOutput(Process process, CompletableFuture<LocalAwsEndpoints> ready, Consumer<String> output) {
    AtomicReference<String> last = new AtomicReference<>("(none)");
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        var endpoints = ready.isDone() ? null : LocalAwsEndpoints.fromReadyLine(line).orElse(null);
        if (endpoints != null) {
          ready.complete(endpoints);
        } else {
          last.set(line);
          output.accept(line);
        }
      }
    } catch (IOException ignored) {
      // the process is gone
    }
    ready.completeExceptionally(new IllegalStateException(NAME + " exited before it was ready (exit status "
        + process.onExit().join().exitValue() + "); its last line: " + last.get()));
  }

  private static Path existing(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (mvn -DskipTests package)");
    }
    return jar;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public LocalAwsEndpoints endpoints() {
    return endpoints;
  }

  /** The child itself, for tests of how it reacts to being stopped one way or another. */
  public Process process() {
    return process;
  }

  /** Completes when the stand-ins' process ends, for whatever reason. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** Closes its standard input, as our exit would, and stops it harder if it is still there. */
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
    stop(process);
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
