package dev.postbackrelay.localruntime.runtime;

import dev.postbackrelay.localruntime.template.FunctionDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The execution environments of one function: {@code instances} of them (default 1), each running
 * one invocation at a time, all fed from one queue. An environment that goes away (crash, timeout)
 * is replaced; one that keeps failing before it is ready is retried with a growing delay, up to
 * 30 s. An invocation no environment takes within {@code dispatchWait} fails with
 * {@link FunctionUnavailableException}.
 */
public final class FunctionPool implements FunctionInvoker, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FunctionPool.class.getName());
  private static final long MAX_BACKOFF_MS = 30_000;

  private final FunctionDefinition function;
  private final LambdaJavaRuntime runtime;
  private final Path taskRoot;
  private final int instances;
  private final Duration dispatchWait;
  private final BlockingDeque<Invocation> queue = new LinkedBlockingDeque<>();
  private final ScheduledThreadPoolExecutor timer;
  private final List<Sandbox> sandboxes = new ArrayList<>();
  private final long[] backoffMs;
  private final List<CompletableFuture<Void>> firstReady = new ArrayList<>();
  private boolean closed;

  public FunctionPool(FunctionDefinition function, LambdaJavaRuntime runtime, Path taskRoot, int instances,
      Duration dispatchWait) {
    this.function = function;
    this.runtime = runtime;
    this.taskRoot = taskRoot;
    this.instances = instances;
    this.dispatchWait = dispatchWait;
    this.backoffMs = new long[instances];
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("deadlines-" + function.logicalId());
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  public FunctionDefinition function() {
    return function;
  }

  /** Starts every environment; {@link #awaitReady(Duration)} waits for their init. */
  public synchronized void start() {
    for (int slot = 0; slot < instances; slot++) {
      firstReady.add(launch(slot).ready());
    }
  }

  /**
   * Waits until every environment polls for work.
   *
   * @throws FunctionUnavailableException one exited during init, or {@code timeout} passed
   */
  public void awaitReady(Duration timeout) {
    CompletableFuture<?> all = CompletableFuture.allOf(firstReady.toArray(CompletableFuture[]::new));
    try {
      all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof FunctionUnavailableException u ? u
          : new FunctionUnavailableException(function.logicalId() + ": " + e.getCause());
    } catch (TimeoutException e) {
      throw new FunctionUnavailableException(function.logicalId() + " did not finish its init within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FunctionUnavailableException(function.logicalId() + ": interrupted while waiting for init");
    }
  }

  @Override
  public byte[] invoke(byte[] event) {
    Invocation invocation = new Invocation(event);
    queue.add(invocation);
    try {
      invocation.dispatched().get(dispatchWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (invocation.cancel()) {
        throw new FunctionUnavailableException(function.logicalId() + ": no execution environment took the"
            + " invocation within " + dispatchWait.toSeconds() + " s");
      }
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (InterruptedException e) {
      invocation.cancel();
      Thread.currentThread().interrupt();
      throw new FunctionUnavailableException(function.logicalId() + ": interrupted");
    }
    try {
      return invocation.result().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FunctionUnavailableException(function.logicalId() + ": interrupted");
    }
  }

  private Sandbox launch(int slot) {
    String name = instances == 1 ? function.logicalId() : function.logicalId() + "#" + slot;
    Sandbox sandbox = new Sandbox(name, function, queue, timer, exited -> replace(slot, exited));
    try {
      sandbox.start(runtime, taskRoot);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    sandboxes.add(sandbox);
    return sandbox;
  }

  private synchronized void replace(int slot, Sandbox exited) {
    sandboxes.remove(exited);
    if (closed) {
      return;
    }
    boolean wasReady = exited.ready().isDone() && !exited.ready().isCompletedExceptionally();
    backoffMs[slot] = wasReady ? 0 : Math.min(MAX_BACKOFF_MS, Math.max(1000, backoffMs[slot] * 2));
    LOG.log(System.Logger.Level.INFO, "{0}: starting a new execution environment{1}", exited.name(),
        backoffMs[slot] == 0 ? "" : " in " + backoffMs[slot] + " ms");
    timer.schedule(() -> relaunch(slot), backoffMs[slot], TimeUnit.MILLISECONDS);
  }

  private synchronized void relaunch(int slot) {
    if (closed) {
      return;
    }
    try {
      launch(slot);
    } catch (UncheckedIOException e) {
      LOG.log(System.Logger.Level.ERROR, function.logicalId() + ": cannot start an execution environment", e);
    }
  }

  /**
   * Kills every running environment at once (SIGKILL), as a crash would: a running invocation fails
   * with {@code Runtime.ExitError} and each environment is replaced. For the fault harness.
   */
  public void killEnvironments() {
    List<Sandbox> running;
    synchronized (this) {
      running = List.copyOf(sandboxes);
    }
    running.forEach(Sandbox::kill);
  }

  /** Stops every environment; queued invocations fail as unavailable. */
  @Override
  public void close() {
    List<Sandbox> running;
    synchronized (this) {
      closed = true;
      running = List.copyOf(sandboxes);
    }
    running.parallelStream().forEach(Sandbox::close);
    for (Invocation queued; (queued = queue.poll()) != null; ) {
      if (queued.cancel()) {
        queued.dispatched().completeExceptionally(new FunctionUnavailableException("stack is stopping"));
      }
    }
    timer.shutdownNow();
  }
}
