package dev.postbackrelay.deployhook;

import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/** Tells CodeDeploy how a lifecycle hook ended. */
interface LifecycleReporter {

  /** Reports the hook execution's outcome; failures propagate (CodeDeploy then times the hook out). */
  void report(String deploymentId, String lifecycleEventHookExecutionId, LifecycleEventStatus status);
}
