package dev.postbackrelay.stats;

import java.util.Locale;

/** What a report's rows can be grouped by. */
public enum Dimension {
  CAMPAIGN, AFFILIATE, SUB1, EVENT, DAY, HOUR;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
