package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.AdjustableClock;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The handler profiles of the integration tests, backed by LocalStack. */
public final class LocalStackProfiles {

  private LocalStackProfiles() {}

  abstract static class OnLocalStack implements QuarkusTestProfile {
    private final String handler;

    OnLocalStack(String handler) {
      this.handler = handler;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.lambda.handler", handler);
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(LocalStackResource.class));
    }
  }

  public static class Click extends OnLocalStack {
    public Click() {
      super("click");
    }
  }

  public static class Postback extends OnLocalStack {
    public Postback() {
      super("postback");
    }
  }

  public static class Consumer extends OnLocalStack {
    public Consumer() {
      super("consumer");
    }
  }

  /** Delivery, on an {@link AdjustableClock} a test moves forward to make a retry due. */
  public static class Delivery extends OnLocalStack {
    public Delivery() {
      super("delivery");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(AdjustableClock.class);
    }
  }

  public static class Admin extends OnLocalStack {
    public Admin() {
      super("admin");
    }
  }
}
