package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the local stack as a user does, with SIGTERM (Ctrl-C): on a stack of its own, so that
 * no other test depends on running before it. Skipped until the function artifact is built.
 */
class StackShutdownIT {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  @Test
  void sigterm_stopsTheStack_andLeavesNoChildProcess() throws Exception {
    try (RunningStack stack = RunningStack.start("shutdown-admin-token", Map.of(), READY_TIMEOUT)) {
      Process process = stack.process();
      List<ProcessHandle> children = process.descendants().toList();
      assertTrue(children.size() >= 2, "local-aws and the function runtimes run as children: " + children);
      process.destroy();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the stack stops on SIGTERM");
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
        assertTrue(!child.isAlive(), "child " + child.pid() + " is gone");
      }
    }
  }
}
