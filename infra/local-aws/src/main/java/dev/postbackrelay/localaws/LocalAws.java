package dev.postbackrelay.localaws;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.postbackrelay.localaws.client.LocalAwsEndpoints;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs DynamoDB Local and ElasticMQ on loopback in one JVM, the stand-ins for DynamoDB and SQS.
 *
 * <p>Prints exactly one line {@code READY dynamodb=<url> sqs=<url>} ({@link LocalAwsEndpoints#readyLine})
 * on standard output when both accept requests. It exits when its standard input reaches end of file, which happens when the
 * parent process that started it dies for any reason, so no stand-in outlives the stack or test
 * that started it. It leaves no temporary file behind: see {@link NativeLibraryFolder}.
 *
 * <p>Arguments: {@code --dynamodb-port N}, {@code --sqs-port N} (0 or absent: a free port),
 * {@code --db-path DIR} (keep DynamoDB data, and SQS queues and messages ({@link PersistentSqs}), on disk
 * instead of in memory), {@code --template FILE}
 * (create the tables and queues a SAM template declares, named by their logical ids, before READY).
 */
public final class LocalAws {

  private LocalAws() {}

  public static void main(String[] args) throws Exception {
    int dynamoPort = 0;
    int sqsPort = 0;
    String dbPath = null;
    String template = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dynamodb-port" -> dynamoPort = Integer.parseInt(args[++i]);
        case "--sqs-port" -> sqsPort = Integer.parseInt(args[++i]);
        case "--db-path" -> dbPath = args[++i];
        case "--template" -> template = args[++i];
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (System.console() == null) {
      // started by a stack: Ctrl-C reaches its whole process group, and the stack stops us itself
      // once its own graceful stop is done (end of our standard input), with the queues written
      Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    }
    dynamoPort = dynamoPort == 0 ? freePort() : dynamoPort;
    sqsPort = sqsPort == 0 ? freePort() : sqsPort;

    Path tmp = NativeLibraryFolder.create();
    System.setProperty("org.sqlite.tmpdir", tmp.toString());
    List<String> dynamoArgs = new ArrayList<>(List.of("-port", String.valueOf(dynamoPort), "-sharedDb", "-disableTelemetry"));
    if (dbPath == null) {
      dynamoArgs.add("-inMemory");
    } else {
      Files.createDirectories(Path.of(dbPath));
      dynamoArgs.add("-dbPath");
      dynamoArgs.add(dbPath);
    }
    DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(dynamoArgs.toArray(String[]::new));
    dynamo.start();

    SQSRestServer sqs;
    if (dbPath == null) {
      sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort)
          .withServerAddress(new NodeAddress("http", "127.0.0.1", sqsPort, ""))
          .withAWSRegion("us-east-1").withAWSAccountId(LocalAwsEndpoints.ACCOUNT).start();
      sqs.waitUntilStarted();
    } else {
      sqs = PersistentSqs.start(sqsPort, Path.of(dbPath));
    }

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        sqs.stopAndWait();
        dynamo.stop();
      } catch (Exception ignored) {
        // exiting anyway
      } finally {
        NativeLibraryFolder.delete(tmp);
      }
    }));
    String dynamoUrl = "http://127.0.0.1:" + dynamoPort;
    String sqsUrl = "http://127.0.0.1:" + sqsPort;
    if (template != null) {
      new TemplateProvisioner(dynamoUrl, sqsUrl).provision(Path.of(template));
    }
    System.out.println(new LocalAwsEndpoints(dynamoUrl, sqsUrl).readyLine());
    System.out.flush();
    exitWhenParentGoes(System.in);
  }

  private static void exitWhenParentGoes(InputStream in) {
    try {
      while (in.read() >= 0) {
        // the parent never writes; end of file means it is gone
      }
    } catch (IOException ignored) {
      // a broken pipe means the same
    }
    System.exit(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
