package dev.postbackrelay.relay;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the root's target and output, and a zero exit when it returns. */
abstract class Base implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  Relay root() {
    return (Relay) spec.root().userObject();
  }

  AdminClient client() throws RelayException {
    return root().client();
  }

  Output out() {
    return root().output();
  }

  @Override
  public final Integer call() throws Exception {
    execute();
    return 0;
  }

  abstract void execute() throws Exception;
}
