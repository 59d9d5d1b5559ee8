package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IAM: every permission spelled out, no wildcard action, each scoped to this stack's resources. */
class LeastPrivilegeTest {

  /** Properties that give a resource a fixed physical name (which blocks replacement and a second stack). */
  static final List<String> PHYSICAL_NAMES = List.of("FunctionName", "TableName", "QueueName", "TopicName",
      "BucketName", "LogGroupName", "RoleName", "ManagedPolicyName", "AlarmName", "DashboardName", "StateMachineName");

  final Template template = Template.get();

  @Test
  void everyPermissionIsWrittenOutInTheTemplate() {
    assertEquals(List.of(), template.opaquePolicies(),
        "SAM policy templates and managed policies hide what they grant: write Statements instead");
  }

  @Test
  void noStatementGrantsAWildcardActionOrUsesNegation() {
    List<Template.Statement> statements = template.statements();
    assertFalse(statements.isEmpty());
    for (Template.Statement s : statements) {
      assertEquals("Allow", s.body().get("Effect"), s.owner());
      assertFalse(s.body().containsKey("NotAction") || s.body().containsKey("NotResource"), s.owner());
      s.actions().forEach(a -> assertFalse(a.contains("*"), s.owner() + " grants wildcard action " + a));
    }
  }

  @Test
  void everyStatementIsScopedToThisStacksResourcesOrParameters() {
    Set<String> known = new HashSet<>(template.resources().keySet());
    known.addAll(template.parameters().keySet());
    template.functions().forEach(f -> known.add(f + "DeploymentGroup"));
    known.add("ServerlessDeploymentApplication");
    for (Template.Statement s : template.statements()) {
      // a resource that cannot be named (the AWS managed key behind SSM) needs a Condition that names one
      Set<String> conditionNames = Template.referencedNames(s.body().get("Condition"));
      conditionNames.retainAll(known);
      for (Object resource : s.resources()) {
        assertFalse("*".equals(resource), s.owner() + " grants " + s.actions() + " on *");
        Set<String> named = Template.referencedNames(resource);
        named.retainAll(known);
        boolean wildcard = Template.sub(resource).map(t -> t.contains("*")).orElse(false);
        if (named.isEmpty() || wildcard) {
          assertFalse(conditionNames.isEmpty(),
              s.owner() + ": " + resource + " is not one of this stack's resources, and no Condition narrows it to one");
        }
      }
    }
  }

  @Test
  void resourcesHaveNoPhysicalNamesButTheHooksCodeDeployPrefix() {
    template.resources().forEach((id, resource) -> {
      Map<String, Object> props = Template.map(Template.map(resource).get("Properties"));
      for (String name : PHYSICAL_NAMES) {
        if (props.containsKey(name)) {
          boolean hookPrefix = "FunctionName".equals(name)
              && Template.sub(props.get(name)).filter(n -> n.startsWith("CodeDeployHook_${AWS::StackName}")).isPresent();
          assertTrue(hookPrefix, id + " sets " + name);
        }
      }
    });
  }
}
