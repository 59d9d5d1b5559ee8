package dev.postbackrelay.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB Local and ElasticMQ for tests: the {@code infra/local-aws} jar started as a child
 * process with the repository's {@code template.yaml}, so tests run against the tables and queues
 * a deployment has. The child exits with this JVM (its stdin closes).
 */
public final class LocalAws implements AutoCloseable {

  private final Process process;
  public final String dynamoEndpoint;
  public final String sqsEndpoint;

  private LocalAws(Process process, String dynamoEndpoint, String sqsEndpoint) {
    this.process = process;
    this.dynamoEndpoint = dynamoEndpoint;
    this.sqsEndpoint = sqsEndpoint;
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
    return new LocalAws(null, dynamoEndpoint, sqsEndpoint);
  }

  /** Creates the template's tables and queues on {@code aws}'s endpoints with the local-aws jar. */
  public static void provision(LocalAws aws) {
    Path root = repoRoot();
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", root.resolve("infra/local-aws/target/local-aws.jar").toString(), "dev.postbackrelay.localaws.Provision",
          "--dynamodb", aws.dynamoEndpoint, "--sqs", aws.sqsEndpoint, "--template", root.resolve("template.yaml").toString())
          .inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("provisioning failed with exit code " + p.exitValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot provision", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while provisioning", e);
    }
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
    Path jar = root.resolve("infra/local-aws/target/local-aws.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build the reactor (mvn package) first");
    }
    try {
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx512m", "-jar", jar.toString(), "--template", root.resolve("template.yaml").toString())
          .redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("READY ")) {
          String dynamo = line.replaceAll(".*dynamodb=(\\S+).*", "$1");
          String sqs = line.replaceAll(".*sqs=(\\S+).*", "$1");
          Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "local-aws-output");
          drain.setDaemon(true);
          drain.start();
          return new LocalAws(process, dynamo, sqs);
        }
        if (System.nanoTime() > deadline) {
          break;
        }
      }
      process.destroyForcibly();
      throw new IllegalStateException("local-aws did not become ready; last line: " + line);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start local-aws", e);
    }
  }

  public String queueUrl(String logicalId) {
    return sqsEndpoint + "/000000000000/" + logicalId;
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
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
