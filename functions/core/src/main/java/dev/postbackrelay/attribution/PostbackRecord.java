package dev.postbackrelay.attribution;

import dev.postbackrelay.postback.Postback;
import java.time.Instant;

/** A postback as received, and the decision made about it. */
public record PostbackRecord(Postback postback, Decision decision, Instant decidedAt) {}
