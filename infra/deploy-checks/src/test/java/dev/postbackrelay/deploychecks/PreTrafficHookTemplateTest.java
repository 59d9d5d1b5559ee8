package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The CodeDeploy PreTraffic hook: which versions it probes, what it may do, which code it runs. */
class PreTrafficHookTemplateTest {

  static final String HOOK = "PreTrafficHookFunction";
  static final String HOOK_SOURCE = "functions/deploy-hook/src/main/java/dev/postbackrelay/deployhook/";

  final Template template = Template.get();

  @Test
  void clickAndPostbackVersionsTakeNoTrafficBeforeTheHookPasses() {
    assertEquals(Set.of("ClickFunction", "PostbackFunction"), Set.copyOf(hooked()));
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
