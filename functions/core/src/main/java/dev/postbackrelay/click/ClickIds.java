package dev.postbackrelay.click;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks click ids: 32 characters, URL-safe, sortable by creation time, unguessable,
 * and self-validating.
 *
 * <p>Layout, 20 bytes written in a lower-case base32 alphabet whose ASCII order is its numeric
 * order ({@code 0-9a-z} without {@code i l o u}): 6 bytes of milliseconds since the epoch, 8
 * random bytes, and a 6-byte HMAC-SHA256 tag over the first 14. A forged, truncated or mangled
 * id fails {@link #verify} without any database read: guessing a tag is a 1 in 2^48 chance.
 *
 * <p>Keys rotate: ids are tagged with the first key, and checked against every configured key,
 * so ids issued before a rotation stay valid while their key stays listed.
 *
 * <p>The random source is created on first use, never at class or bean initialisation, so that a
 * Lambda SnapStart snapshot holds no shared random state.
 */
public final class ClickIds {

  public static final int LENGTH = 32;
  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
  private static final int[] DECODE = new int[128];
  private static final int TAG_BYTES = 6;
  private static final int BODY_BYTES = 14;

  static {
    Arrays.fill(DECODE, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DECODE[ALPHABET.charAt(i)] = i;
    }
  }

  private final List<SecretKeySpec> keys;
  private final Supplier<SecureRandom> randomFactory;
  private volatile SecureRandom random;

  /** @param keys raw MAC keys, newest first; at least one, each at least 16 bytes */
  public ClickIds(List<byte[]> keys) {
    this(keys, SecureRandom::new);
  }

  ClickIds(List<byte[]> keys, Supplier<SecureRandom> randomFactory) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one click-id key is required");
    }
    for (byte[] key : keys) {
      if (key.length < 16) {
        throw new IllegalArgumentException("click-id keys must be at least 16 bytes");
      }
    }
    this.keys = keys.stream().map(k -> new SecretKeySpec(k, "HmacSHA256")).toList();
    this.randomFactory = randomFactory;
  }

  /** A new id for a click made at {@code at}. */
  public String issue(Instant at) {
    byte[] id = new byte[BODY_BYTES + TAG_BYTES];
    long millis = at.toEpochMilli();
    for (int i = 5; i >= 0; i--) {
      id[i] = (byte) millis;
      millis >>>= 8;
    }
    byte[] nonce = new byte[8];
    random().nextBytes(nonce);
    System.arraycopy(nonce, 0, id, 6, 8);
    System.arraycopy(tag(keys.get(0), id), 0, id, BODY_BYTES, TAG_BYTES);
    return encode(id);
  }

  /** The smallest id a click made at {@code at} can have: ids of that millisecond or later sort at or after it. */
  public static String lowest(Instant at) {
    return bound(at, (byte) 0);
  }

  /** The largest id a click made at {@code at} can have: ids of that millisecond or earlier sort at or before it. */
  public static String highest(Instant at) {
    return bound(at, (byte) 0xff);
  }

  private static String bound(Instant at, byte fill) {
    byte[] id = new byte[BODY_BYTES + TAG_BYTES];
    Arrays.fill(id, fill);
    long millis = at.toEpochMilli();
    for (int i = 5; i >= 0; i--) {
      id[i] = (byte) millis;
      millis >>>= 8;
    }
    return encode(id);
  }

  /** Whether {@code candidate} is an id issued with one of the configured keys. */
  public boolean verify(String candidate) {
    Optional<byte[]> decoded = decode(candidate);
    if (decoded.isEmpty()) {
      return false;
    }
    byte[] id = decoded.get();
    byte[] seen = Arrays.copyOfRange(id, BODY_BYTES, BODY_BYTES + TAG_BYTES);
    boolean ok = false;
    for (SecretKeySpec key : keys) {
      ok |= MessageDigest.isEqual(seen, tag(key, id));
    }
    return ok;
  }

  /** The creation time written in an id (meaningful only for a verified id). */
  public static Instant issuedAt(String clickId) {
    byte[] id = decode(clickId).orElseThrow(() -> new IllegalArgumentException("not a click id"));
    long millis = 0;
    for (int i = 0; i < 6; i++) {
      millis = (millis << 8) | (id[i] & 0xff);
    }
    return Instant.ofEpochMilli(millis);
  }

  private SecureRandom random() {
    SecureRandom r = random;
    if (r == null) {
      synchronized (this) {
        if (random == null) {
          random = randomFactory.get();
        }
        r = random;
      }
    }
    return r;
  }

  private static byte[] tag(SecretKeySpec key, byte[] id) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(id, 0, BODY_BYTES);
      return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String encode(byte[] bytes) {
    // 20 bytes = 160 bits = exactly 32 base32 digits, most significant first
    StringBuilder out = new StringBuilder(LENGTH);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    for (int group = 0; group < 4; group++) {
      long chunk = 0;
      for (int i = 0; i < 5; i++) {
        chunk = (chunk << 8) | (buffer.get() & 0xff);
      }
      for (int shift = 35; shift >= 0; shift -= 5) {
        out.append(ALPHABET.charAt((int) (chunk >>> shift) & 31));
      }
    }
    return out.toString();
  }

  private static Optional<byte[]> decode(String s) {
    if (s == null || s.length() != LENGTH) {
      return Optional.empty();
    }
    byte[] out = new byte[20];
    for (int group = 0; group < 4; group++) {
      long chunk = 0;
      for (int i = 0; i < 8; i++) {
        char c = s.charAt(group * 8 + i);
        int v = c < 128 ? DECODE[c] : -1;
        if (v < 0) {
          return Optional.empty();
        }
        chunk = (chunk << 5) | v;
      }
      for (int i = 4; i >= 0; i--) {
        out[group * 5 + i] = (byte) chunk;
        chunk >>>= 8;
      }
    }
    return Optional.of(out);
  }
}
