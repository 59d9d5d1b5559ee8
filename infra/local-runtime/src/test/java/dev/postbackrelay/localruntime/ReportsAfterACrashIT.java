package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@link ReportsCheck} with the stats function's process halted right after its third stats
 * write, once (mid-batch: the batch's other items are not written, and no answer is sent): the event
 * source retries and bisects, a new execution environment applies what is left, the numbers are the same.
 */
@ResourceLock("ReportsCheck.expected") // the expected numbers are shared: one class at a time
class ReportsAfterACrashIT extends ReportsCheck {

  private static Path marker;

  @BeforeAll
  static void start() throws Exception {
    marker = Files.createTempDirectory("stats-crash").resolve("crashed");
    startAndSend(Map.of("RELAY_STATS_CRASH_AFTER_WRITES", "3", "RELAY_STATS_CRASH_ONCE_MARKER", marker.toString()));
  }

  @Test
  void theStatsFunctionDidCrashOnce() {
    assertTrue(Files.exists(marker), "the crash test halted the stats function once");
  }
}
