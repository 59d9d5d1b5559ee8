package dev.postbackrelay.lambda.store;

import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/** The opaque {@code next} of every list: its position as text, base64url; a cursor no list gave is a 400. */
final class PageCursors {

  private PageCursors() {}

  static String encode(String position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** The position {@code cursor} encodes, read by {@code read}; null for no cursor. */
  static <T> T decode(String cursor, Function<String, T> read) {
    if (cursor == null) {
      return null;
    }
    try {
      return read.apply(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "next is not a cursor this list gave.", "next", null);
    }
  }
}
