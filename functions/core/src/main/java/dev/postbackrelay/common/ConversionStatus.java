package dev.postbackrelay.common;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A conversion's status and the transitions allowed between them: pending to approved or
 * rejected, approved to rejected or chargeback. Rejected and chargeback are final.
 */
public enum ConversionStatus {
  PENDING, APPROVED, REJECTED, CHARGEBACK;

  public boolean canBecome(ConversionStatus next) {
    return allowedNext().contains(next);
  }

  public Set<ConversionStatus> allowedNext() {
    return switch (this) {
      case PENDING -> EnumSet.of(APPROVED, REJECTED);
      case APPROVED -> EnumSet.of(REJECTED, CHARGEBACK);
      case REJECTED, CHARGEBACK -> EnumSet.noneOf(ConversionStatus.class);
    };
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ConversionStatus fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
