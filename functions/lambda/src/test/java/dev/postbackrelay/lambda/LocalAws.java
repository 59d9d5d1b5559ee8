package dev.postbackrelay.lambda;

import dev.postbackrelay.localaws.client.LocalAwsEndpoints;
import dev.postbackrelay.localaws.client.LocalAwsProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB Local and ElasticMQ for tests: the {@code infra/local-aws} jar started as a child
 * process with the repository's {@code template.yaml} (through {@link LocalAwsProcess}, the one
 * launcher), so tests run against the tables and queues a deployment has. The child exits with
 * this JVM (its stdin closes).
 */
public final class LocalAws implements AutoCloseable {

  private final LocalAwsProcess process;
  private final LocalAwsEndpoints endpoints;
  public final String dynamoEndpoint;
  public final String sqsEndpoint;

  private LocalAws(LocalAwsProcess process, LocalAwsEndpoints endpoints) {
    this.process = process;
    this.endpoints = endpoints;
    this.dynamoEndpoint = endpoints.dynamodb();
    this.sqsEndpoint = endpoints.sqs();
  }

  private static LocalAws shared;

  /** One set of stand-ins for the whole test JVM, started on first use, stopped at exit. */
  public static synchronized LocalAws shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** Endpoints of stand-ins someone else runs (LocalStack); {@link #close} leaves them alone. */
  public static LocalAws external(String dynamoEndpoint, String sqsEndpoint) {
    return new LocalAws(null, new LocalAwsEndpoints(dynamoEndpoint, sqsEndpoint));
  }

  /** Creates the template's tables and queues on {@code aws}'s endpoints with the local-aws jar. */
  public static void provision(LocalAws aws) {
    Path root = repoRoot();
    LocalAwsProcess.provision(LocalAwsProcess.jar(root), aws.endpoints, root.resolve("template.yaml"));
  }

  public static Path repoRoot() {
    String configured = System.getProperty("repo.root");
    Path start = (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("functions"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root (template.yaml) from " + start);
  }

  public static LocalAws start() {
    Path root = repoRoot();
    LocalAwsProcess process = LocalAwsProcess.start(LocalAwsProcess.jar(root), root.resolve("template.yaml"),
        LocalAwsProcess.Options.defaults().withJvmOptions(List.of("-Xmx512m")).withTimeout(Duration.ofSeconds(60))
            .withOutput(line -> { }));
    return new LocalAws(process, process.endpoints());
  }

  public String queueUrl(String logicalId) {
    return endpoints.queueUrl(logicalId);
  }

  public DynamoDbClient dynamo() {
    return DynamoDbClient.builder().endpointOverride(URI.create(dynamoEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  public SqsClient sqs() {
    return SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
