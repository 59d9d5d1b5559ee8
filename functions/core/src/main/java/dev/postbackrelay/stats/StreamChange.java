package dev.postbackrelay.stats;

import java.math.BigInteger;

/**
 * One record of the tracking table's stream, as facts: the item before and after the change (null
 * where there was none, or where the item is neither a click nor a conversion).
 *
 * @param seq the record's sequence number, increasing within its shard
 */
public record StreamChange(BigInteger seq, Kind kind, Fact before, Fact after) {

  /** The kind of change; {@code EXPIRED} is a removal by the table's time to live. */
  public enum Kind { INSERT, MODIFY, REMOVE, EXPIRED }
}
