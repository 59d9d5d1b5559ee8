package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** samconfig.toml: one environment per stage, each deploying that stage's stack. */
class SamconfigTest {

  static final List<String> STAGES = List.of("dev", "staging", "prod");
  /** Lambda's limit on a function name, which the hook's CodeDeployHook_<stack>_PreTraffic must fit. */
  static final int FUNCTION_NAME_LIMIT = 64;

  static JsonNode samconfig;
  final Template template = Template.get();

  @BeforeAll
  static void read() throws Exception {
    samconfig = new TomlMapper().readTree(Repo.read("samconfig.toml"));
  }

  @Test
  void isInTheFormatVersionSamReads() {
    assertEquals("0.1", samconfig.path("version").asText());
  }

  @Test
  void definesExactlyDevStagingAndProd() {
    Set<String> environments = new HashSet<>();
    samconfig.fieldNames().forEachRemaining(environments::add);
    environments.remove("version");
    assertEquals(Set.copyOf(STAGES), environments);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "staging", "prod"})
  void eachEnvironmentDeploysItsStageFromTheTemplateToItsOwnStack(String stage) {
    JsonNode deploy = deploy(stage);
    assertEquals("postback-relay-" + stage, deploy.path("stack_name").asText());
    assertEquals("template.yaml", deploy.path("template_file").asText());
    assertEquals(stage, overrides(stage).get("Stage"));
    assertTrue(deploy.path("capabilities").asText().contains("CAPABILITY_IAM"), stage);
    assertTrue(deploy.path("resolve_s3").asBoolean(), stage + " needs resolve_s3 to upload the artifacts");
    String hookName = "CodeDeployHook_" + deploy.path("stack_name").asText() + "_PreTraffic";
    assertTrue(hookName.length() <= FUNCTION_NAME_LIMIT, hookName + " is longer than a function name may be");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "staging", "prod"})
  void everyOverrideIsATemplateParameterWithAnAllowedValue(String stage) {
    overrides(stage).forEach((name, value) -> {
      Map<String, Object> parameter = Template.map(template.parameters().get(name));
      assertTrue(!parameter.isEmpty(), stage + " overrides " + name + ", which template.yaml does not declare");
      List<Object> allowed = Template.list(parameter.get("AllowedValues"));
      assertTrue(allowed.isEmpty() || allowed.stream().map(String::valueOf).toList().contains(value),
          stage + ": " + name + "=" + value + " is not one of " + allowed);
      Object pattern = parameter.get("AllowedPattern");
      assertTrue(pattern == null || value.matches(String.valueOf(pattern)), stage + ": " + name + "=" + value);
    });
  }

  @Test
  void prodShowsTheChangeSetBeforeExecutingIt() {
    assertTrue(deploy("prod").path("confirm_changeset").asBoolean());
  }

  static JsonNode deploy(String stage) {
    JsonNode deploy = samconfig.path(stage).path("deploy").path("parameters");
    assertTrue(deploy.isObject(), "samconfig.toml has no [" + stage + ".deploy.parameters]");
    return deploy;
  }

  static Map<String, String> overrides(String stage) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String pair : deploy(stage).path("parameter_overrides").asText().trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      assertTrue(eq > 0, stage + ": parameter_overrides entry " + pair + " is not Name=Value");
      overrides.put(pair.substring(0, eq), pair.substring(eq + 1).replaceAll("^\"|\"$", ""));
    }
    return overrides;
  }
}
