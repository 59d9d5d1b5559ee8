package dev.postbackrelay.deployhook;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/** {@link LifecycleReporter} over CodeDeploy's {@code PutLifecycleEventHookExecutionStatus}. */
final class CodeDeployLifecycleReporter implements LifecycleReporter {

  private final CodeDeployClient codeDeploy;

  CodeDeployLifecycleReporter(CodeDeployClient codeDeploy) {
    this.codeDeploy = codeDeploy;
  }

  /** A client for the runtime's region and credentials. */
  static CodeDeployLifecycleReporter create() {
    return new CodeDeployLifecycleReporter(
        CodeDeployClient.builder().httpClient(UrlConnectionHttpClient.create()).build());
  }

  @Override
  public void report(String deploymentId, String lifecycleEventHookExecutionId, LifecycleEventStatus status) {
    codeDeploy.putLifecycleEventHookExecutionStatus(r -> r.deploymentId(deploymentId)
        .lifecycleEventHookExecutionId(lifecycleEventHookExecutionId)
        .status(status));
  }
}
