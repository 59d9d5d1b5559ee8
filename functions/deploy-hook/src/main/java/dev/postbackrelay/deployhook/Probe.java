package dev.postbackrelay.deployhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One synthetic event sent to one new function version, and the answer it must give. Every probe
 * is refused before anything is read from a caller, stored or sent, so running them against
 * production leaves no trace but a log line: HTTP functions get a request the contract refuses
 * ({@link HttpProbe}), queue consumers a record no queue carries ({@link QueueProbe}).
 */
sealed interface Probe permits HttpProbe, QueueProbe {

  /** Environment variable holding the ClickFunction version's ARN ({@code !Ref ClickFunction.Version}). */
  String CLICK_VERSION_ENV = "CLICK_FUNCTION_VERSION_ARN";
  /** Environment variable holding the PostbackFunction version's ARN. */
  String POSTBACK_VERSION_ENV = "POSTBACK_FUNCTION_VERSION_ARN";
  /** Environment variable holding the ConversionConsumerFunction version's ARN. */
  String CONSUMER_VERSION_ENV = "CONVERSION_CONSUMER_FUNCTION_VERSION_ARN";
  /** Environment variable holding the DeliveryFunction version's ARN. */
  String DELIVERY_VERSION_ENV = "DELIVERY_FUNCTION_VERSION_ARN";
  /** Environment variable holding the AdminFunction version's ARN. */
  String ADMIN_VERSION_ENV = "ADMIN_FUNCTION_VERSION_ARN";
  /** A campaign id that is never created: the click must be refused as unknown, and nothing stored. */
  String UNKNOWN_CAMPAIGN_ID = "pretraffic-probe-no-such-campaign";

  /** The probes the deployed hook runs, aimed at the versions its environment names. */
  static List<Probe> fromEnvironment(Map<String, String> env) {
    return List.of(
        new HttpProbe("click for an unknown campaign", "click", required(env, CLICK_VERSION_ENV), "/click",
            Map.of(), Map.of("campaign_id", UNKNOWN_CAMPAIGN_ID, "affiliate_id", "pretraffic-probe"),
            404, "unknown_campaign"),
        new HttpProbe("postback without a click id", "postback", required(env, POSTBACK_VERSION_ENV), "/postback",
            Map.of(), Map.of("event", "pretraffic_probe"),
            400, "missing_click_id"),
        new QueueProbe("conversion message that is no postback", "consumer", required(env, CONSUMER_VERSION_ENV)),
        new QueueProbe("delivery message that is no delivery", "delivery", required(env, DELIVERY_VERSION_ENV)),
        // API Gateway's IAM authorizer never let this request through: no verified identity
        new HttpProbe("admin request without credentials", "admin", required(env, ADMIN_VERSION_ENV),
            "/admin/campaigns/{campaign_id}", Map.of("campaign_id", UNKNOWN_CAMPAIGN_ID), Map.of(),
            401, "unauthorized"));
  }

  /** What the probe sends, for the report. */
  String name();

  /** The qualified ARN of the version under test. */
  String functionArn();

  /** The event, tied to the deployment (request or message id {@code pretraffic-<deployment id>-<label>}). */
  String event(String deploymentId, Instant now);

  /** Checks the version's response payload; returns why it is wrong, or empty. */
  Optional<String> failure(String payload, String deploymentId);

  /** Sends the probe; returns why the version misbehaved, or empty when it answered as it must. */
  default Optional<String> run(VersionInvoker invoker, String deploymentId, Instant now) {
    String payload;
    try {
      payload = invoker.invoke(functionArn(), event(deploymentId, now));
    } catch (RuntimeException e) {
      return Optional.of(name() + ": " + e.getMessage());
    }
    return failure(payload, deploymentId);
  }

  /** The id a probe's request or message carries: {@code pretraffic-<deployment id>-<label>}. */
  static String probeId(String deploymentId, String label) {
    return "pretraffic-" + deploymentId.replaceAll("[^A-Za-z0-9-]", "") + "-" + label;
  }

  static String excerpt(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  private static String required(Map<String, String> env, String variable) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(variable + " is not set: the template passes each probed version's ARN");
    }
    return value;
  }
}
