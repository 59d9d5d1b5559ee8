package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the template names exists in the code, and what the code needs the template provides:
 * handlers ({@code @Named} in functions/lambda), configuration keys (RelayConfig), tables and
 * queues (through configuration), and the IAM actions behind the AWS SDK calls.
 */
class CodeReferencesTest {

  static final String LAMBDA_SOURCES = "functions/lambda/src/main/java";
  static final String RELAY_CONFIG = LAMBDA_SOURCES + "/dev/postbackrelay/lambda/config/RelayConfig.java";
  static final String HOOK_SOURCES = "functions/deploy-hook/src/main/java";
  /**
   * What SAM grants a function with an SQS event source, besides its Policies: the managed policy
   * AWSLambdaSQSQueueExecutionRole. It does not include sqs:ChangeMessageVisibility, so a consumer
   * that postpones its own messages must be granted that itself.
   */
  static final Set<String> SQS_POLLER = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
  /**
   * Settings for one part of the work, by variable, and the handlers that do it: those set it, the
   * others start without it (so its key must be optional). Resolving destination secrets and the
   * retry schedule are delivery's; the outbound exceptions also judge destination URLs at PUT; only
   * click and postback make or check click ids.
   */
  static final Map<String, Set<String>> ONLY_WHERE_USED = Map.of(
      "RELAY_DELIVERY_SECRETS_PREFIX", Set.of("delivery"),
      "RELAY_DELIVERY_RETRY_SCHEDULE", Set.of("delivery"),
      "RELAY_OUTBOUND_ALLOWED_CIDRS", Set.of("delivery", "admin"),
      "RELAY_OUTBOUND_ALLOWED_PORTS", Set.of("delivery", "admin"),
      "RELAY_CLICK_ID_KEYS_SECRET", Set.of("click", "postback", "admin")); // admin: the dry run verifies click ids

  final Template template = Template.get();

  @Test
  void everyHandlerTheTemplateSelectsIsANamedRequestHandler() {
    Map<String, Path> handlers = JavaSources.namedHandlers(lambdaSources());
    for (String f : template.relayFunctions()) {
      Object handler = template.environment(f).get("QUARKUS_LAMBDA_HANDLER");
      assertTrue(handlers.containsKey(String.valueOf(handler)), f + " selects handler '" + handler
          + "' but no class implementing RequestHandler under " + LAMBDA_SOURCES + " is @Named(\"" + handler
          + "\"); found " + handlers.keySet());
    }
  }

  @Test
  void everyNamedRequestHandlerIsDeployed() {
    Set<Object> deployed = new HashSet<>();
    template.relayFunctions().forEach(f -> deployed.add(template.environment(f).get("QUARKUS_LAMBDA_HANDLER")));
    JavaSources.namedHandlers(lambdaSources()).forEach((name, file) ->
        assertTrue(deployed.contains(name), "@Named(\"" + name + "\") in " + file + " runs in no function"));
  }

  @Test
  void everyRelayVariableTheTemplateSetsIsAConfigurationKey() {
    List<RelayConfigKeys.Key> keys = configKeys();
    for (String f : template.relayFunctions()) {
      for (String variable : template.environment(f).keySet()) {
        if (variable.startsWith("RELAY_")) {
          assertTrue(keys.stream().anyMatch(k -> k.matches(variable)), f + " sets " + variable
              + " but RelayConfig reads no such key; it reads " + keys.stream().map(k -> k.environmentVariable()).toList());
        }
      }
    }
  }

  @Test
  void everyRequiredConfigurationKeyIsSetForEveryRelayFunction() {
    for (RelayConfigKeys.Key key : configKeys()) {
      if (key.required()) {
        for (String f : template.relayFunctions()) {
          assertTrue(template.environment(f).containsKey(key.environmentVariable()),
              "relay." + key.name() + " has no default and is not Optional, but " + f + " does not set "
                  + key.environmentVariable());
        }
      }
    }
  }

  @Test
  void settingsForOnePartOfTheWorkAreOptionalKeysSetOnlyOnTheFunctionsDoingIt() {
    List<RelayConfigKeys.Key> keys = configKeys();
    ONLY_WHERE_USED.forEach((variable, handlers) -> {
      RelayConfigKeys.Key key = keys.stream().filter(k -> k.matches(variable)).findFirst()
          .orElseThrow(() -> new AssertionError("RelayConfig reads no key for " + variable));
      assertFalse(key.required(), "relay." + key.name() + " is required, yet only " + handlers + " set it");
      Set<Object> setOn = new TreeSet<>();
      template.relayFunctions().stream().filter(f -> template.environment(f).containsKey(variable))
          .forEach(f -> setOn.add(template.environment(f).get("QUARKUS_LAMBDA_HANDLER")));
      assertEquals(new TreeSet<>(handlers), setOn, variable + " is set for the wrong functions");
    });
  }

  @Test
  void everyTableAndQueueTheFunctionsUseReachesTheCodeThroughAConfigurationVariable() {
    Set<String> passed = new HashSet<>();
    for (String f : template.relayFunctions()) {
      template.environment(f).forEach((variable, value) -> {
        if (variable.startsWith("RELAY_")) {
          passed.addAll(Template.referencedNames(value));
        }
      });
    }
    List<String> needed = new ArrayList<>(template.idsOfType("AWS::DynamoDB::Table"));
    for (String queue : template.idsOfType("AWS::SQS::Queue")) {
      boolean granted = template.relayFunctions().stream().anyMatch(f -> template.grants(f).values().stream()
          .anyMatch(on -> on.contains(queue)));
      if (template.properties(queue).containsKey("RedrivePolicy") || granted) {
        needed.add(queue);
      }
    }
    needed.forEach(id -> assertTrue(passed.contains(id), id + " is given to no function through a RELAY_ variable"));
  }

  @Test
  void everyAwsCallTheFunctionsMakeIsGrantedToThem() {
    Map<String, Path> used = JavaSources.awsActions(lambdaSources());
    Set<String> granted = new TreeSet<>();
    for (String f : template.relayFunctions()) {
      template.grantedTo(f).forEach(s -> granted.addAll(s.actions()));
      if (!template.events(f, "SQS").isEmpty()) {
        granted.addAll(SQS_POLLER);
      }
    }
    used.forEach((action, file) -> assertTrue(granted.contains(action),
        Repo.root().relativize(file) + " calls what needs " + action + ", which no relay function is granted"));
  }

  @Test
  void everyActionGrantedToTheFunctionsIsOneTheirCodeCalls() {
    Map<String, Path> used = JavaSources.awsActions(lambdaSources());
    for (String f : template.relayFunctions()) {
      for (String action : template.grants(f).keySet()) {
        assertTrue(used.containsKey(action), f + " is granted " + action + ", which no SDK call under "
            + LAMBDA_SOURCES + " needs; the calls need " + used.keySet());
      }
    }
  }

  @Test
  void everyAwsCallTheHookMakesIsGrantedToIt() {
    Map<String, Path> used = JavaSources.awsActions(JavaSources.under(HOOK_SOURCES));
    assertFalse(used.isEmpty(), "found no SDK call in " + HOOK_SOURCES);
    Set<String> granted = new TreeSet<>();
    template.grantedTo(PreTrafficHookTemplateTest.HOOK).forEach(s -> granted.addAll(s.actions()));
    assertEquals(granted, used.keySet());
  }

  static Map<Path, String> lambdaSources() {
    Map<Path, String> sources = JavaSources.under(LAMBDA_SOURCES);
    assertFalse(sources.isEmpty(), LAMBDA_SOURCES + " has no Java sources yet: the handlers live there");
    return sources;
  }

  static List<RelayConfigKeys.Key> configKeys() {
    Path config = Repo.path(RELAY_CONFIG);
    assertTrue(Files.isRegularFile(config), RELAY_CONFIG + " is missing: the @ConfigMapping(prefix = \"relay\")"
        + " interface every RELAY_ variable of template.yaml must map onto");
    List<RelayConfigKeys.Key> keys = RelayConfigKeys.parse(Repo.read(RELAY_CONFIG));
    assertFalse(keys.isEmpty(), "no configuration key found in " + RELAY_CONFIG);
    return keys;
  }
}
