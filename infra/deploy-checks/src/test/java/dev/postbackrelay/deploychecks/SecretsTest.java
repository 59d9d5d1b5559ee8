package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Secrets live in Secrets Manager; the template and the environment carry only references. The
 * click-id keys are the stack's own secret; destination secrets are the operators', under a name
 * prefix per stage that only the delivery function may read.
 */
class SecretsTest {

  static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|TOKEN|PASSWORD|PASSWD|KEY|KEYS|CREDENTIAL).*");
  static final Pattern SECRET_LOOKING = Pattern.compile("[A-Za-z0-9+/=_\\-]{20,}");
  static final String KEYS_SECRET = "ClickIdKeysSecret";
  /** Where destination secret references must point: a name prefix, not a secret. */
  static final String PREFIX_VARIABLE = "RELAY_DELIVERY_SECRETS_PREFIX";
  static final Map<String, Object> PREFIX = Map.of("Fn::Sub", LeastPrivilegeTest.DESTINATION_SECRETS_PREFIX);
  static final Map<String, Object> DESTINATION_SECRETS = Map.of("Fn::Sub", LeastPrivilegeTest.DESTINATION_SECRETS);

  final Template template = Template.get();

  @Test
  void noEnvironmentVariableHoldsASecret() {
    for (String f : template.functions()) {
      template.environment(f).forEach((name, value) -> {
        if (PREFIX_VARIABLE.equals(name)) {
          assertEquals(PREFIX, value, f + ": " + name + " is the destination secrets' name prefix, nothing else");
        } else if (SECRET_NAME.matcher(name).matches()) {
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
  void noSecretValueIsWrittenInTheTemplate() {
    for (String secret : template.idsOfType("AWS::SecretsManager::Secret")) {
      assertFalse(template.properties(secret).containsKey("SecretString"), secret + " holds its value in the template");
    }
    assertEquals(List.of(), template.idsOfType("AWS::SSM::Parameter"), "parameters hold values in the template");
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

  /**
   * The handlers that issue or verify click ids (ClickService, PostbackService, and the admin
   * function's dry run, which runs PostbackService on stores that write nothing), the only code that
   * builds ClickIds. The consumer and delivery handlers start and work without any key
   * (functions/lambda: ConsumerWithoutClickIdKeysTest, DeliveryWithoutClickIdKeysTest), so their
   * functions are given none; the admin function serves every route but the dry run without one
   * (AdminWithoutClickIdKeysTest).
   */
  static final Set<String> CLICK_ID_HANDLERS = Set.of("click", "postback", "admin");

  @Test
  void onlyTheFunctionsThatMakeOrCheckClickIdsMayReadTheClickIdKeys() {
    Set<String> expected = new TreeSet<>();
    CLICK_ID_HANDLERS.forEach(h -> expected.add(template.relayFunction(h)));
    Set<String> readers = new TreeSet<>();
    for (String f : template.functions()) {
      if (template.grants(f).getOrDefault(LeastPrivilegeTest.READ_SECRET, Set.of()).contains(KEYS_SECRET)) {
        readers.add(f);
      }
    }
    assertEquals(expected, readers, "functions granted " + LeastPrivilegeTest.READ_SECRET + " on " + KEYS_SECRET);
  }

  @Test
  void clickIdFunctionsAreToldTheClickIdKeysSecretAndMayReadThatOneOnly() {
    String delivery = template.relayFunction("delivery");
    for (String f : template.relayFunctions()) {
      boolean makesClickIds = CLICK_ID_HANDLERS.contains(String.valueOf(template.environment(f).get("QUARKUS_LAMBDA_HANDLER")));
      assertEquals(makesClickIds ? Map.of("Ref", KEYS_SECRET) : null, template.environment(f).get("RELAY_CLICK_ID_KEYS_SECRET"),
          f + (makesClickIds ? " cannot find the click-id keys" : " is told the click-id keys secret it does not use"));
      if (f.equals(delivery)) {
        continue; // reads destination secrets and no key: below
      }
      List<Template.Statement> reads = secretReads(f);
      assertEquals(makesClickIds ? 1 : 0, reads.size(), f + " reads secrets through " + reads);
      for (Template.Statement read : reads) {
        assertEquals(List.of("secretsmanager:GetSecretValue"), read.actions(), f);
        assertEquals(List.of(Map.of("Ref", KEYS_SECRET)), read.resources(), f);
      }
    }
    // the code may start without the keys' secret: every function but Click and Postback does
    assertFalse(DeliveryPipelineTest.key("RELAY_CLICK_ID_KEYS_SECRET").required(), "relay.click-id.keys-secret must stay optional");
  }

  @Test
  void theFunctionThatCallsPartnersReadsNoClickIdKeyAndOnlyItsStagesDestinationSecrets() {
    // it connects wherever partners' URLs point: a flaw there must find no key to leak, and no
    // secret but those campaigns hand it anyway; read-only, so it can neither change nor list them
    String delivery = template.relayFunction("delivery");
    List<Template.Statement> reads = secretReads(delivery);
    assertEquals(1, reads.size(), delivery + " reads secrets through " + reads);
    assertEquals(List.of("secretsmanager:GetSecretValue"), reads.get(0).actions(), delivery);
    assertEquals(List.of(DESTINATION_SECRETS), reads.get(0).resources(), delivery);
  }

  @Test
  void destinationSecretReferencesAreResolvedOnlyByTheDeliveryFunction() {
    String delivery = template.relayFunction("delivery");
    for (String f : template.functions()) {
      Object prefix = template.environment(f).get(PREFIX_VARIABLE);
      if (f.equals(delivery)) {
        // without it the delivery function would take secret:<name> as the secret itself
        assertEquals(PREFIX, prefix, delivery + " is not told where destination secrets live");
      } else {
        assertNull(prefix, f + " is told the destination secrets' prefix: only " + delivery + " resolves references");
      }
    }
    // no other statement of the stack reaches them: one grant, the delivery function's
    for (Template.Statement s : template.statements()) {
      if (s.resources().stream().anyMatch(r -> String.valueOf(r).contains("/destinations/"))) {
        assertEquals(delivery, s.owner(), s.owner() + " is granted " + s.actions() + " on destination secrets");
      }
    }
    // the code may start without the prefix: every other function does
    RelayConfigKeys.Key key = DeliveryPipelineTest.key(PREFIX_VARIABLE);
    assertFalse(key.required(), "relay." + key.name() + " must stay optional");
  }

  @Test
  void theDestinationSecretsPrefixIsItsStagesOwnAndIsWhatTheGrantCovers() {
    String prefix = LeastPrivilegeTest.DESTINATION_SECRETS_PREFIX;
    // stages sharing an account cannot read each other's; the slash keeps out names that merely start alike
    assertTrue(Template.subReferences(prefix).contains("Stage"), prefix);
    assertTrue(prefix.endsWith("/"), prefix);
    assertTrue(LeastPrivilegeTest.DESTINATION_SECRETS.endsWith(":secret:" + prefix + "*"));
    Map<String, Object> output = Template.map(template.section("Outputs").get("DestinationSecretsPrefix"));
    assertEquals(PREFIX, output.get("Value"), "the output operators name their secrets by");
  }

  List<Template.Statement> secretReads(String function) {
    return template.grantedTo(function).stream()
        .filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("secretsmanager:") || a.startsWith("ssm:")
            || a.startsWith("kms:")))
        .toList();
  }
}
