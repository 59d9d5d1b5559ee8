package dev.postbackrelay.lambda.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** No Secrets Manager stand-in runs here (LocalStack needs Docker): the client is a recording fake. */
class SecretsManagerSecretResolverTest {

  final List<String> asked = new ArrayList<>();
  final SecretsManagerClient client = new SecretsManagerClient() {
    @Override
    public GetSecretValueResponse getSecretValue(Consumer<GetSecretValueRequest.Builder> request) {
      GetSecretValueRequest r = GetSecretValueRequest.builder().applyMutation(request).build();
      asked.add(r.secretId());
      return GetSecretValueResponse.builder().secretString("value-of-" + r.secretId()).build();
    }

    @Override
    public String serviceName() {
      return "secretsmanager";
    }

    @Override
    public void close() {}
  };
  final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void references_areResolvedOnce_andCachedForMinutes() {
    var resolver = new SecretsManagerSecretResolver(client, "postback-relay/prod/destinations/", clock);

    assertEquals("value-of-postback-relay/prod/destinations/meta", resolver.resolve("secret:postback-relay/prod/destinations/meta"));
    assertEquals("value-of-postback-relay/prod/destinations/meta", resolver.resolve("secret:postback-relay/prod/destinations/meta"));

    assertEquals(List.of("postback-relay/prod/destinations/meta"), asked);
  }

  @Test
  void literalValues_passThroughUntouched() {
    var resolver = new SecretsManagerSecretResolver(client, "postback-relay/prod/destinations/", clock);

    assertEquals("plain-token", resolver.resolve("plain-token"));
    assertEquals(List.of(), asked);
  }

  @Test
  void referencesOutsideThePrefix_areRefused_withoutAsking() {
    var resolver = new SecretsManagerSecretResolver(client, "postback-relay/prod/destinations/", clock);

    assertThrows(IllegalStateException.class, () -> resolver.resolve("secret:postback-relay/prod/click-id-keys"));
    assertThrows(IllegalStateException.class,
        () -> new SecretsManagerSecretResolver(client, null, clock).resolve("secret:anything"));
    assertEquals(List.of(), asked);
  }
}
