package dev.postbackrelay.forwarding;

import java.util.Objects;
import java.util.Optional;

/**
 * One occurrence of a {@link DeliveryError}: the error and its detail (a status, a setting's
 * name, the guard's sentence...), or no detail.
 */
public record DeliveryFailure(DeliveryError error, String detail) {

  /** What a skip's {@link #reason()} is recorded behind on the delivery log. */
  public static final String SKIPPED = "skipped: ";

  public DeliveryFailure {
    Objects.requireNonNull(error);
  }

  /** The written form: {@code missing_setting: pixel_id}, {@code http_503}, {@code timeout}. */
  public String reason() {
    return error.write(detail);
  }

  /** As the delivery log records it: the {@link #reason()}, behind {@value #SKIPPED} for a skip. */
  public String recorded() {
    return error.disposition() == DeliveryError.Disposition.SKIP ? SKIPPED + reason() : reason();
  }

  public DeliveryError.Disposition disposition() {
    return error.disposition();
  }

  /**
   * Reads a written failure back, as {@link #reason()} or {@link #recorded()} wrote it; empty for
   * a text that is neither (written by an older version, say).
   */
  public static Optional<DeliveryFailure> parse(String written) {
    if (written == null) {
      return Optional.empty();
    }
    boolean skipped = written.startsWith(SKIPPED);
    String text = skipped ? written.substring(SKIPPED.length()) : written;
    for (DeliveryError e : DeliveryError.values()) {
      if (skipped && e.disposition() != DeliveryError.Disposition.SKIP) {
        continue;
      }
      if (text.equals(e.code())) {
        return Optional.of(e.failure());
      }
      String detail = e.detailOf(text);
      if (detail != null) {
        return Optional.of(e.with(detail));
      }
    }
    return Optional.empty();
  }
}
