package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.lambda.LocalAwsResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a container instead of the embedded stand-ins, provisioned from the same
 * template. Used only where a Docker engine runs; the tests using it are skipped elsewhere.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

  private static LocalStackContainer container;

  @Override
  public Map<String, String> start() {
    if (container == null) {
      container = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
          .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS);
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
    }
    LocalAws aws = LocalAws.external(container.getEndpoint().toString(), container.getEndpoint().toString());
    LocalAws.provision(aws);
    return LocalAwsResource.pointAt(aws, "ConversionQueue");
  }

  @Override
  public void stop() {
    // shared across Quarkus restarts; stopped by the shutdown hook
  }
}
