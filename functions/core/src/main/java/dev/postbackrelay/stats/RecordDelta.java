package dev.postbackrelay.stats;

import java.math.BigInteger;

/** What one stream record adds to one stats item. */
public record RecordDelta(BigInteger seq, Counters counters) {}
