package dev.postbackrelay.lambda;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One test profile per handler: the same switch the deployed functions flip with
 * QUARKUS_LAMBDA_HANDLER. Each profile brings the local stand-ins as its test resource.
 */
public final class Profiles {

  private Profiles() {}

  /** A handler's profile: the handler switch and the one test resource that stands in for AWS. */
  public abstract static class HandlerProfile implements QuarkusTestProfile {
    private final Map<String, String> handlerSwitch;
    private final List<TestResourceEntry> standIns;

    protected HandlerProfile(String handler, TestResourceEntry standIns) {
      this.handlerSwitch = Map.of("quarkus.lambda.handler", handler);
      this.standIns = List.of(standIns);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      return handlerSwitch;
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return standIns;
    }
  }

  abstract static class WithLocalAws extends HandlerProfile {
    WithLocalAws(String handler, Map<String, String> args) {
      super(handler, new TestResourceEntry(LocalAwsResource.class, args));
    }
  }

  public static class Click extends WithLocalAws {
    public Click() {
      super("click", Map.of());
    }
  }

  public static class Postback extends WithLocalAws {
    public Postback() {
      super("postback", Map.of());
    }
  }

  /** The postback handler sending to a queue that does not exist: SQS refuses every send. */
  public static class PostbackQueueDown extends WithLocalAws {
    public PostbackQueueDown() {
      super("postback", Map.of(LocalAwsResource.QUEUE_ARG, "NoSuchQueue"));
    }
  }

  /** A handler whose DynamoDB and SQS clients go through {@link StandInProxy} proxies a test can pause. */
  abstract static class BehindProxies extends HandlerProfile {
    BehindProxies(String handler) {
      super(handler, new TestResourceEntry(StandInProxyResource.class));
    }
  }

  public static class ClickBehindProxies extends BehindProxies {
    public ClickBehindProxies() {
      super("click");
    }
  }

  public static class PostbackBehindProxies extends BehindProxies {
    public PostbackBehindProxies() {
      super("postback");
    }
  }

  public static class AdminBehindProxies extends BehindProxies {
    public AdminBehindProxies() {
      super("admin");
    }
  }

  public static class Consumer extends WithLocalAws {
    public Consumer() {
      super("consumer", Map.of());
    }
  }

  /** Delivery, on an {@link AdjustableClock} a test moves forward to make a retry due. */
  public static class Delivery extends WithLocalAws {
    public Delivery() {
      super("delivery", Map.of());
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(AdjustableClock.class);
    }
  }

  public static class Admin extends WithLocalAws {
    public Admin() {
      super("admin", Map.of());
    }
  }

  /** The consumer as deployed: no click-id key at all (it never makes or checks a click id). */
  public static class ConsumerWithoutClickIdKeys extends WithLocalAws {
    public ConsumerWithoutClickIdKeys() {
      super("consumer", Map.of(LocalAwsResource.CLICK_ID_KEYS_ARG, "none"));
    }
  }

  /** Delivery as deployed: no click-id key at all. */
  public static class DeliveryWithoutClickIdKeys extends WithLocalAws {
    public DeliveryWithoutClickIdKeys() {
      super("delivery", Map.of(LocalAwsResource.CLICK_ID_KEYS_ARG, "none"));
    }
  }

  /** Admin as deployed: no click-id key at all. */
  public static class AdminWithoutClickIdKeys extends WithLocalAws {
    public AdminWithoutClickIdKeys() {
      super("admin", Map.of(LocalAwsResource.CLICK_ID_KEYS_ARG, "none"));
    }
  }
}
