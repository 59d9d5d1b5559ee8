package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The CodeDeploy PreTraffic hook: which versions it probes, what it may do, which code it runs. */
class PreTrafficHookTemplateTest {

  static final String HOOK = "PreTrafficHookFunction";
  static final String HOOK_SOURCE = "functions/deploy-hook/src/main/java/dev/postbackrelay/deployhook/";

  final Template template = Template.get();

  /**
   * Functions that take traffic through an alias yet need no pre-traffic probe, each with the reason
   * (stated in template.yaml and infra/README.md too). None today: every relay function is probed.
   */
  static final Map<String, String> UNPROBED_FOR_A_REASON = Map.of("StatsFunction",
      "its stream batches are counted exactly once whatever version runs them; its errors alarm rolls it back");

  @Test
  void everyFunctionTakingTrafficThroughAnAliasIsProbedBeforeTheShiftOrSaysWhyNot() {
    for (String f : template.functions()) {
      if (template.effectiveFunction(f).containsKey("AutoPublishAlias")) {
        assertTrue(hooked().contains(f) || UNPROBED_FOR_A_REASON.containsKey(f), f + " takes traffic through its "
            + template.effectiveFunction(f).get("AutoPublishAlias") + " alias, but no PreTraffic hook probes a new"
            + " version before the shift, and no reason is given why it needs none");
      }
    }
    UNPROBED_FOR_A_REASON.keySet().forEach(f -> {
      assertFalse(hooked().contains(f), f + " is probed after all");
      assertTrue(Repo.read("infra/README.md").contains(f), "infra/README.md does not say why " + f + " needs no probe");
    });
    String readme = Repo.read("infra/README.md");
    hooked().forEach(f -> assertTrue(readme.contains("| `" + f + "` |"), "infra/README.md does not say how " + f + " is probed"));
  }

  @Test
  void hookHasTimeForEveryProbeToTimeOutAndStillReport() throws Exception {
    String probes = Files.readString(Repo.path(HOOK_SOURCE + "Probe.java"));
    int count = probes.split("new (Http|Queue)Probe\\(", -1).length - 1;
    Matcher timeout = Pattern.compile("PROBE_TIMEOUT = Duration\\.ofSeconds\\((\\d+)\\)")
        .matcher(Files.readString(Repo.path(HOOK_SOURCE + "LambdaVersionInvoker.java")));
    assertTrue(timeout.find(), "LambdaVersionInvoker.PROBE_TIMEOUT is not a Duration.ofSeconds");
    assertEquals(hooked().size(), count, "one probe per hooked function in Probe.fromEnvironment");
    int hookTimeout = ((Number) template.effectiveFunction(HOOK).get("Timeout")).intValue();
    assertTrue(hookTimeout > count * Integer.parseInt(timeout.group(1)),
        "the hook's Timeout (" + hookTimeout + " s) is shorter than " + count + " probes timing out");
  }

  @Test
  void hookIsNamedSoSamsCodeDeployRoleMayInvokeItAndUniquePerStack() {
    String name = Template.sub(template.properties(HOOK).get("FunctionName"))
        .orElseThrow(() -> new AssertionError("the hook's FunctionName must be a !Sub with the stack name"));
    assertTrue(name.startsWith("CodeDeployHook_"), name);
    assertTrue(name.contains("${AWS::StackName}"), name);
  }

  @Test
  void hookIsNotItselfRolledOut() {
    assertEquals("*", template.resource(HOOK).get("IgnoreGlobals"));
    Map<String, Object> hook = template.effectiveFunction(HOOK);
    assertFalse(hook.containsKey("DeploymentPreference"));
    assertFalse(hook.containsKey("AutoPublishAlias"));
  }

  @Test
  void hookMayOnlyInvokeTheVersionsItProbesAndReportToTheirDeploymentGroups() {
    List<Template.Statement> statements = template.statements().stream().filter(s -> s.owner().equals(HOOK)).toList();
    assertTrue(template.opaquePolicies().stream().noneMatch(p -> p.startsWith(HOOK + ":")));
    assertEquals(Set.of("lambda:InvokeFunction", "codedeploy:PutLifecycleEventHookExecutionStatus"),
        statements.stream().flatMap(s -> s.actions().stream()).collect(Collectors.toSet()));

    Set<Object> versions = hooked().stream().map(f -> (Object) Map.of("Ref", f + ".Version")).collect(Collectors.toSet());
    assertEquals(versions, resourcesFor(statements, "lambda:InvokeFunction"));

    Set<Object> groups = hooked().stream().map(f -> (Object) Map.of("Fn::Sub",
            "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:"
                + "${ServerlessDeploymentApplication}/${" + f + "DeploymentGroup}"))
        .collect(Collectors.toSet());
    assertEquals(groups, resourcesFor(statements, "codedeploy:PutLifecycleEventHookExecutionStatus"));
  }

  @Test
  void hookProbesTheNewVersionOfEachHookedFunction() throws Exception {
    Map<String, Object> env = template.environment(HOOK);
    String probes = Files.readString(Repo.path(HOOK_SOURCE + "Probe.java"));
    assertEquals(hooked().size(), env.size(), "one version ARN per hooked function: " + env);
    for (String f : hooked()) {
      String variable = env.entrySet().stream().filter(e -> Map.of("Ref", f + ".Version").equals(e.getValue()))
          .map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new AssertionError("the hook is not given " + f + "'s new version"));
      assertTrue(probes.contains("\"" + variable + "\""), "Probe.java does not read " + variable);
    }
  }

  @Test
  void hookRunsTheDeployHookModulesJar() throws Exception {
    Map<String, Object> hook = template.effectiveFunction(HOOK);
    assertEquals("functions/deploy-hook/target/deploy-hook.jar", hook.get("CodeUri"));
    assertEquals("dev.postbackrelay.deployhook.PreTrafficHook::handleRequest", hook.get("Handler"));
    String handler = Files.readString(Repo.path(HOOK_SOURCE + "PreTrafficHook.java"));
    assertTrue(handler.contains("public String handleRequest("), "PreTrafficHook has no handleRequest");
    assertTrue(Repo.read("functions/deploy-hook/pom.xml").contains("<finalName>deploy-hook</finalName>"));
  }

  List<String> hooked() {
    return template.relayFunctions().stream()
        .filter(f -> Map.of("Ref", HOOK).equals(Template.map(Template.map(
            template.effectiveFunction(f).get("DeploymentPreference")).get("Hooks")).get("PreTraffic")))
        .toList();
  }

  static Set<Object> resourcesFor(List<Template.Statement> statements, String action) {
    return statements.stream().filter(s -> s.actions().contains(action))
        .flatMap(s -> s.resources().stream()).collect(Collectors.toSet());
  }
}
