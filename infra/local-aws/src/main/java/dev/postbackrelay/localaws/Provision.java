package dev.postbackrelay.localaws;

import java.nio.file.Path;

/**
 * Creates the template's tables and queues on endpoints that are already running (LocalStack in
 * the Testcontainers tests): {@code --dynamodb URL --sqs URL --template FILE}.
 */
public final class Provision {

  private Provision() {}

  public static void main(String[] args) throws Exception {
    String dynamo = null;
    String sqs = null;
    String template = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dynamodb" -> dynamo = args[++i];
        case "--sqs" -> sqs = args[++i];
        case "--template" -> template = args[++i];
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (dynamo == null || sqs == null || template == null) {
      throw new IllegalArgumentException("usage: --dynamodb URL --sqs URL --template FILE");
    }
    System.out.println("PROVISIONED " + new TemplateProvisioner(dynamo, sqs).provision(Path.of(template)));
  }
}
