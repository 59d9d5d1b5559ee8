package dev.postbackrelay.postback;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Postback ids: 26 characters, time-sortable (48-bit milliseconds, then 80 random bits), in the
 * same sortable base32 alphabet as click ids. The random source is created on first use (no
 * random state in a SnapStart snapshot).
 */
public final class PostbackIds {

  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  private volatile SecureRandom random;

  /** The smallest id of the millisecond {@code at}: ids at or after {@code at} sort at or after it. */
  public static String lowest(Instant at) {
    return timePrefix(at) + "0".repeat(16);
  }

  /** The largest id of the millisecond {@code at}: ids at or before {@code at} sort at or before it. */
  public static String highest(Instant at) {
    return timePrefix(at) + "z".repeat(16);
  }

  /** The first 10 characters of every id made at {@code at}: its millisecond, sortable. */
  private static String timePrefix(Instant at) {
    StringBuilder out = new StringBuilder(10);
    long millis = at.toEpochMilli();
    for (int shift = 45; shift >= 0; shift -= 5) {
      out.append(ALPHABET.charAt((int) (millis >>> shift) & 31)); // 10 chars for 50 bits
    }
    return out.toString();
  }

  public String next(Instant at) {
    byte[] r = new byte[10];
    random().nextBytes(r);
    StringBuilder out = new StringBuilder(26).append(timePrefix(at));
    long hi = 0;
    for (int i = 0; i < 5; i++) {
      hi = (hi << 8) | (r[i] & 0xff);
    }
    long lo = 0;
    for (int i = 5; i < 10; i++) {
      lo = (lo << 8) | (r[i] & 0xff);
    }
    for (int shift = 35; shift >= 0; shift -= 5) {
      out.append(ALPHABET.charAt((int) (hi >>> shift) & 31));
    }
    for (int shift = 35; shift >= 0; shift -= 5) {
      out.append(ALPHABET.charAt((int) (lo >>> shift) & 31));
    }
    return out.toString();
  }

  private SecureRandom random() {
    SecureRandom r = random;
    if (r == null) {
      synchronized (this) {
        if (random == null) {
          random = new SecureRandom();
        }
        r = random;
      }
    }
    return r;
  }
}
