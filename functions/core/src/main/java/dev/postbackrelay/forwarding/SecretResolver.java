package dev.postbackrelay.forwarding;

/**
 * Turns a destination's secret references into the secrets themselves, just before a delivery is
 * built, so that signing secrets and ad-platform tokens can live in a secret store instead of the
 * campaign document.
 *
 * <p>Contract: a value starting with {@link #PREFIX} ({@code secret:<name>}) is resolved; any
 * other value is returned as it is. A reference that cannot be resolved throws, so the delivery is
 * retried rather than sent without its credentials.
 */
public interface SecretResolver {

  String PREFIX = "secret:";

  String resolve(String value);

  /** Where no secret store is configured: plain values pass, references are refused. */
  static SecretResolver literal() {
    return value -> {
      if (value.startsWith(PREFIX)) {
        throw new IllegalStateException("secret references need a secret store (RELAY_DELIVERY_SECRETS_PREFIX)");
      }
      return value;
    };
  }
}
