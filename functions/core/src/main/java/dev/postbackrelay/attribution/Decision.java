package dev.postbackrelay.attribution;

import dev.postbackrelay.common.Reason;

/**
 * What attribution decided for one postback. A normal outcome, not an error: every decision is
 * recorded in the {@link PostbackLog}.
 *
 * @param outcome the kind of decision
 * @param reason why, for {@link Outcome#REJECTED} and {@link Outcome#DUPLICATE}; null otherwise
 * @param conversionKey the conversion it created, updated or duplicated, as {@code clickId/key}
 */
public record Decision(Outcome outcome, Reason reason, String conversionKey) {

  public enum Outcome { ATTRIBUTED, STATUS_UPDATED, DUPLICATE, REJECTED }

  public static Decision rejected(Reason reason) {
    return new Decision(Outcome.REJECTED, reason, null);
  }
}
