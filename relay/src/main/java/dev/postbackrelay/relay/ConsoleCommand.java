package dev.postbackrelay.relay;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code relay console}: the web console on loopback, proxying admin calls to the target. */
@Command(name = "console", mixinStandardHelpOptions = true,
    description = "Serves the web console on http://127.0.0.1:PORT (loopback only), proxying admin calls to the target.")
final class ConsoleCommand extends Base {

  @Option(names = "--port", defaultValue = "4000", description = "The port on 127.0.0.1 (default 4000; 0: any free one).")
  int port;

  @Override
  void execute() throws Exception {
    throw new RelayException(RelayException.FAILED, "the console is not built yet");
  }
}
