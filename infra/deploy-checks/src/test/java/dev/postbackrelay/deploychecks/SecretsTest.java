package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Secrets live in Secrets Manager; the template and the environment carry only references. */
class SecretsTest {

  static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|TOKEN|PASSWORD|PASSWD|KEY|KEYS|CREDENTIAL).*");
  static final Pattern SECRET_LOOKING = Pattern.compile("[A-Za-z0-9+/=_\\-]{20,}");
  static final String KEYS_SECRET = "ClickIdKeysSecret";

  final Template template = Template.get();

  @Test
  void noEnvironmentVariableHoldsASecret() {
    for (String f : template.functions()) {
      template.environment(f).forEach((name, value) -> {
        if (SECRET_NAME.matcher(name).matches()) {
          String target = Template.ref(value).orElse("");
          assertTrue(template.resources().containsKey(target)
                  && "AWS::SecretsManager::Secret".equals(template.type(target)),
              f + " sets " + name + ": pass a reference to a secret of this stack (!Ref), never the secret");
        }
        if (value instanceof String literal) {
          assertFalse(SECRET_LOOKING.matcher(literal).matches(), f + " sets " + name + " to a secret-looking literal");
        }
      });
      assertFalse(template.environment(f).containsKey("RELAY_CLICK_ID_KEYS"), f);
      assertFalse(template.environment(f).containsKey("RELAY_ADMIN_TOKEN"), f + ": deployed admin routes use IAM");
    }
  }

  @Test
  void noParameterCarriesASecret() {
    template.parameters().keySet().forEach(name ->
        assertFalse(SECRET_NAME.matcher(name.toUpperCase()).matches(), "parameter " + name + " looks like a secret"));
  }

  @Test
  void clickIdKeysAreGeneratedBySecretsManagerAndOutliveTheStack() {
    assertEquals("AWS::SecretsManager::Secret", template.type(KEYS_SECRET));
    Map<String, Object> props = template.properties(KEYS_SECRET);
    assertFalse(props.containsKey("SecretString"), "the key's value must never be in the template");
    // 43 characters of [A-Za-z0-9] are valid base64url for a 32-byte key
    assertEquals(Map.of("PasswordLength", 43, "ExcludePunctuation", true), props.get("GenerateSecretString"));
    assertEquals("Retain", template.resource(KEYS_SECRET).get("DeletionPolicy"));
    assertEquals("Retain", template.resource(KEYS_SECRET).get("UpdateReplacePolicy"));
  }

  @Test
  void relayFunctionsAreToldTheClickIdKeysSecretAndMayReadThatOneOnly() {
    for (String f : template.relayFunctions()) {
      assertEquals(Map.of("Ref", KEYS_SECRET), template.environment(f).get("RELAY_CLICK_ID_KEYS_SECRET"), f);
      List<Template.Statement> reads = secretReads(f);
      assertTrue(reads.size() <= 1, f + " reads secrets through more than one statement");
      for (Template.Statement read : reads) {
        assertEquals(List.of("secretsmanager:GetSecretValue"), read.actions(), f);
        assertEquals(List.of(Map.of("Ref", KEYS_SECRET)), read.resources(), f);
      }
    }
    // the two that make and check click ids cannot start without the keys
    for (String handler : List.of("click", "postback")) {
      assertEquals(1, secretReads(template.relayFunction(handler)).size(), handler + " cannot read the click-id keys");
    }
  }

  @Test
  void theFunctionThatCallsPartnersReadsNoSecret() {
    // it connects wherever partners' URLs point: a flaw there must find no key to leak
    assertEquals(List.of(), secretReads(template.relayFunction("delivery")));
  }

  List<Template.Statement> secretReads(String function) {
    return template.grantedTo(function).stream()
        .filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("secretsmanager:") || a.startsWith("ssm:")
            || a.startsWith("kms:")))
        .toList();
  }
}
