package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.AdjustableClock;
import dev.postbackrelay.lambda.Profiles;
import java.util.Set;

/** The handler profiles of the integration tests, backed by LocalStack. */
public final class LocalStackProfiles {

  private LocalStackProfiles() {}

  abstract static class OnLocalStack extends Profiles.HandlerProfile {
    OnLocalStack(String handler) {
      super(handler, new TestResourceEntry(LocalStackResource.class));
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
