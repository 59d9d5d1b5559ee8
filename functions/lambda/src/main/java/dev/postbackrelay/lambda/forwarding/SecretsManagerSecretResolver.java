package dev.postbackrelay.lambda.forwarding;

import dev.postbackrelay.forwarding.SecretResolver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Destination secrets in Secrets Manager: {@code secret:<name>} names a secret under the stack's
 * destination-secrets prefix (anything else is refused, and IAM allows nothing else either).
 * Values are cached for {@link #TTL}, so a rotated secret is used within minutes.
 */
public final class SecretsManagerSecretResolver implements SecretResolver {

  static final Duration TTL = Duration.ofMinutes(5);

  private record Cached(String value, Instant until) {}

  private final SecretsManagerClient secrets;
  private final String allowedPrefix;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** @param allowedPrefix the names a reference may use, e.g. {@code postback-relay/prod/destinations/} */
  public SecretsManagerSecretResolver(SecretsManagerClient secrets, String allowedPrefix, Clock clock) {
    this.secrets = secrets;
    this.allowedPrefix = allowedPrefix;
    this.clock = clock;
  }

  @Override
  public String resolve(String value) {
    if (!value.startsWith(PREFIX)) {
      return value;
    }
    String name = value.substring(PREFIX.length());
    if (allowedPrefix == null || allowedPrefix.isEmpty() || !name.startsWith(allowedPrefix)) {
      throw new IllegalStateException("secret reference outside the destination-secrets prefix");
    }
    Instant now = clock.instant();
    Cached cached = cache.get(name);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.value();
    }
    String secret = secrets.getSecretValue(b -> b.secretId(name)).secretString();
    cache.put(name, new Cached(secret, now.plus(TTL)));
    return secret;
  }
}
