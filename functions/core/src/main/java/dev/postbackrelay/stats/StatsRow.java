package dev.postbackrelay.stats;

/** A stored stats item: its key and its counters. */
public record StatsRow(StatsKey key, Counters counters) {}
