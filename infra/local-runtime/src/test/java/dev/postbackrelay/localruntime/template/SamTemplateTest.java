package dev.postbackrelay.localruntime.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamTemplateTest {

  private static final String SQS = "http://127.0.0.1:9324";

  private final SamTemplate template = SamTemplate.load(sample());
  private final Map<String, FunctionDefinition> functions = template.functions(new LocalValues(template, SQS))
      .stream().collect(Collectors.toMap(FunctionDefinition::logicalId, Function.identity()));

  @Test
  void globals_applyUnlessTheFunctionSetsItsOwn() {
    FunctionDefinition read = functions.get("ReadFunction");
    FunctionDefinition work = functions.get("WorkFunction");
    assertEquals(10, read.timeoutSeconds());
    assertEquals(512, read.memorySizeMb());
    assertEquals(60, work.timeoutSeconds());
    assertEquals(256, work.memorySizeMb());
    assertEquals("example.Handler::handleRequest", read.handler());
    assertEquals(sample().getParent().resolve("build/function.zip"), read.codeUri());
  }

  @Test
  void environment_mergesGlobalsAndFunction_resolvingReferencesLocally() {
    Map<String, String> env = functions.get("ReadFunction").environment();
    assertEquals("ItemsTable", env.get("TABLE"));
    assertEquals(SQS + "/000000000000/WorkQueue", env.get("QUEUE_URL"));
    assertEquals("arn:aws:sqs:us-east-1:000000000000:WorkQueue", env.get("QUEUE_ARN"));
    assertEquals("dev", env.get("STAGE"));
    assertEquals("hello-dev-us-east-1", env.get("GREETING"));
    assertEquals("from-function", env.get("SHARED"));
    assertEquals("read", env.get("QUARKUS_LAMBDA_HANDLER"));
    assertFalse(env.containsKey("TENANT"), "a parameter without a default has no local value");
  }

  @Test
  void httpApiEvents_becomeRoutes() {
    assertEquals(List.of(new HttpRoute("GET", "/items/{item_id}"), new HttpRoute("ANY", "/files/{path+}")),
        functions.get("ReadFunction").httpRoutes());
    assertEquals("GET /items/{item_id}", functions.get("ReadFunction").httpRoutes().get(0).routeKey());
  }

  @Test
  void sqsEvents_keepBatchSettings() {
    assertEquals(List.of(new SqsEventSource("WorkQueue", 5, 2, true)), functions.get("WorkFunction").sqsEvents());
  }

  /**
   * The project's own template: the delivery function may change its queue's message visibility (it
   * hides a retry until due), the consumer may not, so only the delivery queue's poller leaves a
   * reported failure's visibility to the function.
   */
  @Test
  void theProjectsTemplate_saysWhichFunctionManagesItsMessagesVisibility() {
    SamTemplate project = SamTemplate.load(Path.of(System.getProperty("localruntime.repo-root", "../.."))
        .resolve("template.yaml"));
    Map<String, Boolean> manages = new java.util.TreeMap<>();
    project.functions(new LocalValues(project, SQS)).forEach(f -> f.sqsEvents()
        .forEach(e -> manages.put(e.queueLogicalId(), e.functionManagesVisibility())));
    assertEquals(Map.of("ConversionQueue", false, "DeliveryQueue", true), manages);
  }

  @Test
  void functionsNoEventInvokes_areNotRun() {
    assertEquals(List.of("PlainFunction"), template.uninvocableFunctions());
    assertEquals(Set.of("ReadFunction", "WorkFunction", "IsolatedFunction"), functions.keySet());
  }

  @Test
  void ignoreGlobals_keepsTheFunctionToItself() {
    FunctionDefinition isolated = functions.get("IsolatedFunction");
    assertEquals(FunctionDefinition.DEFAULT_TIMEOUT_SECONDS, isolated.timeoutSeconds());
    assertEquals(FunctionDefinition.DEFAULT_MEMORY_SIZE_MB, isolated.memorySizeMb());
    assertTrue(isolated.environment().isEmpty());
    assertEquals(List.of(sample().getParent().resolve("build/function.zip"), sample().getParent().resolve("other")),
        template.codeUris());
  }

  @Test
  void loggingConfig_mergesAndBecomesLambdasLogVariables() {
    assertEquals("JSON", functions.get("ReadFunction").environment().get("AWS_LAMBDA_LOG_FORMAT"));
    assertEquals("DEBUG", functions.get("ReadFunction").environment().get("AWS_LAMBDA_LOG_LEVEL"));
    assertEquals("JSON", functions.get("WorkFunction").environment().get("AWS_LAMBDA_LOG_FORMAT"));
  }

  @Test
  void samDefaults_applyWhenNeitherFunctionNorGlobalsSetThem(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, """
        Resources:
          Bare:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: code/
              Handler: x.Y::handle
              Events:
                Hello:
                  Type: HttpApi
        """);
    SamTemplate bare = SamTemplate.load(file);
    FunctionDefinition f = bare.functions(new LocalValues(bare, SQS)).get(0);
    assertEquals(FunctionDefinition.DEFAULT_TIMEOUT_SECONDS, f.timeoutSeconds());
    assertEquals(FunctionDefinition.DEFAULT_MEMORY_SIZE_MB, f.memorySizeMb());
    assertTrue(f.environment().isEmpty());
    assertEquals(List.of(new HttpRoute("ANY", HttpRoute.DEFAULT_ROUTE)), f.httpRoutes());
    assertNull(bare.resourceType("Missing"));
  }

  @Test
  void repositoryTemplate_parsesWithEveryFunctionHandled() {
    Path repoTemplate = Path.of(System.getProperty("localruntime.repo-root", "../.."), "template.yaml");
    SamTemplate repo = SamTemplate.load(repoTemplate);
    List<FunctionDefinition> all = repo.functions(new LocalValues(repo, SQS));
    assertFalse(all.isEmpty());
    all.forEach(f -> assertTrue(f.environment().containsKey("QUARKUS_LAMBDA_HANDLER"), f.logicalId()));
  }

  static Path sample() {
    try {
      return Path.of(SamTemplateTest.class.getResource("/sample-template.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
