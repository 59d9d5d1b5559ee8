package dev.postbackrelay.localruntime.runtime;

import dev.postbackrelay.localruntime.process.ChildProcesses;
import dev.postbackrelay.localruntime.template.FunctionDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One execution environment: a runtime process and the Runtime API it polls. It runs at most one
 * invocation at a time, taken from its function's shared queue when the runtime asks for the next
 * one. An invocation still running at its deadline fails with {@link FunctionTimeoutException} and
 * the environment is discarded (its process killed), as Lambda does; an environment whose process
 * exits fails its running invocation with {@code Runtime.ExitError}. Either way the owner hears of
 * the exit once, through {@code onExit}.
 */
final class Sandbox implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());
  private static final Duration STOP_GRACE = Duration.ofSeconds(3);
  private static final long POLL_MS = 250;

  private final String name;
  private final FunctionDefinition function;
  private final BlockingDeque<Invocation> queue;
  private final ScheduledExecutorService timer;
  private final Consumer<Sandbox> onExit;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private RuntimeApiServer api;
  private Process process;
  private Invocation current;
  private ScheduledFuture<?> deadline;
  private boolean closed;
  private String initError;

  Sandbox(String name, FunctionDefinition function, BlockingDeque<Invocation> queue,
      ScheduledExecutorService timer, Consumer<Sandbox> onExit) {
    this.name = name;
    this.function = function;
    this.queue = queue;
    this.timer = timer;
    this.onExit = onExit;
  }

  String name() {
    return name;
  }

  /** Completes when the runtime first polls for an invocation, i.e. once its init is done. */
  CompletableFuture<Void> ready() {
    return ready;
  }

  void start(LambdaJavaRuntime runtime, Path taskRoot) throws IOException {
    api = new RuntimeApiServer(this, LambdaJavaRuntime.functionArn(function));
    try {
      process = runtime.processBuilder(function, taskRoot, api.address(), name).start();
    } catch (IOException e) {
      api.close();
      throw e;
    }
    ChildProcesses.pipeOutput(process, name);
    process.onExit().thenRun(this::exited);
  }

  /** The next invocation for the runtime, blocking; {@code null} once this environment is closed. */
  Invocation next() throws InterruptedException {
    ready.complete(null);
    while (true) {
      synchronized (this) {
        if (closed) {
          return null;
        }
      }
      Invocation invocation = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
      if (invocation == null) {
        continue;
      }
      synchronized (this) {
        if (closed) {
          queue.offerFirst(invocation);
          return null;
        }
        if (!invocation.dispatch(System.currentTimeMillis() + function.timeoutSeconds() * 1000L)) {
          continue;
        }
        current = invocation;
        deadline = timer.schedule(() -> timedOut(invocation), function.timeoutSeconds(), TimeUnit.SECONDS);
        return invocation;
      }
    }
  }

  boolean respond(String requestId, byte[] payload) {
    Invocation invocation = finish(requestId);
    if (invocation == null) {
      return false;
    }
    invocation.result().complete(payload);
    return true;
  }

  boolean fail(String requestId, String errorType, byte[] error) {
    Invocation invocation = finish(requestId);
    if (invocation == null) {
      return false;
    }
    invocation.result().completeExceptionally(new FunctionErrorException(function.logicalId(), errorType, error));
    return true;
  }

  synchronized void initFailed(String errorType, byte[] error) {
    initError = errorType + " " + new String(error, StandardCharsets.UTF_8);
    LOG.log(System.Logger.Level.ERROR, "{0}: init failed: {1}", name, initError);
  }

  private synchronized Invocation finish(String requestId) {
    if (current == null || !current.requestId().equals(requestId)) {
      return null;
    }
    Invocation invocation = current;
    current = null;
    deadline.cancel(false);
    return invocation;
  }

  private void timedOut(Invocation invocation) {
    synchronized (this) {
      if (current != invocation) {
        return;
      }
      current = null;
    }
    LOG.log(System.Logger.Level.WARNING, "{0}: {1} Task timed out after {2} s; discarding the environment",
        name, invocation.requestId(), function.timeoutSeconds());
    invocation.result().completeExceptionally(new FunctionTimeoutException(function.logicalId(), function.timeoutSeconds()));
    process.destroyForcibly();
  }

  private void exited() {
    Invocation running;
    boolean expected;
    synchronized (this) {
      expected = closed;
      closed = true;
      running = current;
      current = null;
    }
    api.close();
    int status = process.exitValue();
    if (running != null) {
      deadline.cancel(false);
      String error = "{\"errorMessage\":\"RequestId: " + running.requestId()
          + " Error: Runtime exited with error: exit status " + status + "\",\"errorType\":\"Runtime.ExitError\"}";
      running.result().completeExceptionally(new FunctionErrorException(function.logicalId(), "Runtime.ExitError",
          error.getBytes(StandardCharsets.UTF_8)));
    }
    ready.completeExceptionally(new FunctionUnavailableException(name + " exited with status " + status
        + " before it was ready" + (initError == null ? "" : ": " + initError)));
    if (!expected) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: runtime exited with status {1}", name, status);
    }
    onExit.accept(this);
  }

  /** Kills the runtime process at once; the exit is reported through {@code onExit}, as a crash's. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** Stops the runtime process; the exit is still reported through {@code onExit}. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    ChildProcesses.stop(process, STOP_GRACE);
  }
}
