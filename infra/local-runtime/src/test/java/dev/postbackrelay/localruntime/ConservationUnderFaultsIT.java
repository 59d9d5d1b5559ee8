package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The conservation run under faults, small: {@link ConservationBench} with 400 postbacks at 16
 * senders, one hang of each store and one kill of the consumer and of the delivery function, to a
 * partner failing a fifth of its requests.
 */
class ConservationUnderFaultsIT {

  /**
   * Expected: every postback answered 200 (for a click that exists) is attributed once and forwarded
   * once: none lost, none counted twice, none forwarded under two Idempotency-Keys; no postback that
   * was only answered 4xx, or whose click was never made, is stored or forwarded.
   */
  @Test
  void everyAcceptedPostbackIsAttributedAndForwardedOnce_underFaults() throws Exception {
    Path repo = Path.of(System.getProperty("localruntime.repo-root", "../..")).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(repo.resolve("functions/lambda/target/function.zip")), "needs function.zip");
    assumeTrue(Files.isRegularFile(repo.resolve("infra/local-runtime/target/local-runtime.jar")), "needs the jar");
    ConservationBench.Figures f = ConservationBench.run(repo, new ConservationBench.Settings(400, 16, 1, 1, 3, 3));
    System.out.println("[conservation]\n" + f.table());
    assertTrue(f.accepted() > f.distinct() / 2, "most postbacks were accepted:\n" + f.table());
    assertTrue(f.client() > 0, "the malformed ones were refused:\n" + f.table());
    assertTrue(f.faultsFired() > 0, "faults fired:\n" + f.table());
    assertEquals(0, f.lost(), f.table());
    assertEquals(0, f.doubleCounted(), f.table());
    assertEquals(0, f.doubleForwarded(), f.table());
    assertEquals(0, f.refusedButStored(), f.table());
  }
}
