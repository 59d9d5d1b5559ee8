package dev.postbackrelay.deployhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/**
 * CodeDeploy's {@code BeforeAllowTraffic} hook. Before any traffic shifts to the new versions, it
 * sends each {@link Probe} through the version it targets and reports {@code Succeeded} only when
 * every one is refused exactly as the contract says; otherwise {@code Failed}, and CodeDeploy keeps
 * the alias on the old version.
 *
 * <p>CodeDeploy invokes it with {@code {"DeploymentId": "...", "LifecycleEventHookExecutionId": "..."}}
 * and waits for the report (up to an hour), so a status is reported whatever the probes do.
 */
public final class PreTrafficHook implements RequestHandler<Map<String, String>, String> {

  private final List<Probe> probes;
  private final VersionInvoker invoker;
  private final LifecycleReporter reporter;
  private final Clock clock;

  /** The constructor Lambda calls: probes from the environment, SDK clients from the runtime's. */
  public PreTrafficHook() {
    this(Probe.fromEnvironment(System.getenv()), LambdaVersionInvoker.create(),
        CodeDeployLifecycleReporter.create(), Clock.systemUTC());
  }

  PreTrafficHook(List<Probe> probes, VersionInvoker invoker, LifecycleReporter reporter, Clock clock) {
    this.probes = List.copyOf(probes);
    this.invoker = invoker;
    this.reporter = reporter;
    this.clock = clock;
  }

  @Override
  public String handleRequest(Map<String, String> event, Context context) {
    String deploymentId = required(event, "DeploymentId");
    String executionId = required(event, "LifecycleEventHookExecutionId");
    List<String> failures = new ArrayList<>();
    for (Probe probe : probes) {
      probe.run(invoker, deploymentId, clock.instant()).ifPresent(failures::add);
    }
    LifecycleEventStatus status = failures.isEmpty() ? LifecycleEventStatus.SUCCEEDED : LifecycleEventStatus.FAILED;
    if (failures.isEmpty()) {
      context.getLogger().log("Deployment " + deploymentId + ": " + probes.size() + " probes passed", LogLevel.INFO);
    } else {
      context.getLogger().log("Deployment " + deploymentId + " fails its pre-traffic probes: "
          + String.join("; ", failures), LogLevel.ERROR);
    }
    reporter.report(deploymentId, executionId, status);
    return status.toString();
  }

  private static String required(Map<String, String> event, String field) {
    String value = event == null ? null : event.get(field);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Not a CodeDeploy lifecycle hook event: " + field + " is missing");
    }
    return value;
  }
}
