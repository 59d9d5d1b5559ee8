package dev.postbackrelay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What the storage contracts share: unique ids (stores may be shared between tests and runs),
 * and times a real store keeps exactly.
 *
 * <p>Times are in the future so that a real table's TTL never purges test data mid-run, and at the
 * precision the product stores: milliseconds, whole seconds for {@code expiresAt} (a TTL attribute).
 */
final class ContractData {

  static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");
  static final Instant EXPIRES = Instant.parse("2030-02-08T03:04:05Z");

  private ContractData() {}

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Decimals are equal when they denote the same number: a store may not keep the scale. */
  static void assertSameNumber(BigDecimal expected, BigDecimal actual, String what) {
    if (expected == null) {
      assertNull(actual, what);
      return;
    }
    assertTrue(actual != null && expected.compareTo(actual) == 0, what + ": expected " + expected + " but was " + actual);
  }

  static void assertSameText(String expected, String actual, String what) {
    assertEquals(expected, actual, what);
  }
}
