package dev.postbackrelay.attribution;

import dev.postbackrelay.common.ConversionStatus;
import java.time.Instant;

/** One entry of a conversion's status history. {@code from} is null for the creating entry. */
public record StatusChange(ConversionStatus from, ConversionStatus to, Instant at, String postbackId) {}
