package dev.postbackrelay.localruntime.runtime;

import java.security.SecureRandom;
import java.util.HexFormat;

/** X-Ray trace headers in the shape Lambda sends: {@code Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0}. */
final class TraceIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TraceIds() {}

  static String newTraceHeader() {
    byte[] root = new byte[12];
    byte[] parent = new byte[8];
    RANDOM.nextBytes(root);
    RANDOM.nextBytes(parent);
    String epoch = Long.toHexString(System.currentTimeMillis() / 1000);
    return "Root=1-" + epoch + "-" + HexFormat.of().formatHex(root) + ";Parent=" + HexFormat.of().formatHex(parent)
        + ";Sampled=0";
  }
}
