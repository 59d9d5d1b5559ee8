package dev.postbackrelay.localruntime.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two things every child process of the stack needs: its merged output copied to ours line by
 * line behind a {@code [name]} prefix, and a stop that leaves nothing behind (SIGTERM to it and its
 * descendants, then SIGKILL to whatever outlives the grace period).
 */
public final class ChildProcesses {

  private static final PrintStream OUT = System.out;

  private ChildProcesses() {}

  /** Copies the process's standard output (merge stderr into it when starting) to ours. */
  public static Thread pipeOutput(Process process, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          println("[" + name + "] " + line);
        }
      } catch (IOException ignored) {
        // the process is gone
      }
    }, "output-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Prints one whole line on our standard output, never interleaved with another. */
  public static void println(String line) {
    synchronized (OUT) {
      OUT.println(line);
      OUT.flush();
    }
  }

  /** Stops a process and its descendants; returns once all are gone or were killed. */
  public static void stop(Process process, Duration grace) {
    if (process == null) {
      return;
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    descendants.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** The {@code java} launcher of the JVM running us. */
  public static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(System.getProperty("java.home") + "/bin/java");
  }
}
