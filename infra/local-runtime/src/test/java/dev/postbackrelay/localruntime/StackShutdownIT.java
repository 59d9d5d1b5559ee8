package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
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
      JsonNode file = new ObjectMapper().readTree(Files.readString(stack.stackFile()));
      assertEquals(stack.baseUrl(), file.path("url").asText(), "relay --local finds the stack's URL");
      assertEquals("shutdown-admin-token", file.path("admin_token").asText());
      assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(stack.stackFile()),
          "only its user may read the token");
      List<ProcessHandle> children = process.descendants().toList();
      assertTrue(children.size() >= 2, "local-aws and the function runtimes run as children: " + children);
      process.destroy();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the stack stops on SIGTERM");
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
        assertTrue(!child.isAlive(), "child " + child.pid() + " is gone");
      }
      assertFalse(Files.exists(stack.stackFile()), "the file is removed when the stack stops");
    }
  }
}
