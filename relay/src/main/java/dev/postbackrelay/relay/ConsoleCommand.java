package dev.postbackrelay.relay;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
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
    AdminClient client = client();
    ConsoleServer console;
    try {
      console = ConsoleServer.start(client, port);
    } catch (IOException e) {
      throw new RelayException(RelayException.FAILED, "cannot serve on 127.0.0.1:" + port + " (" + e.getMessage()
          + "): is another console running? Pick another with --port N, or --port 0 for any free one");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      console.close();
      stopped.countDown();
    }, "console-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("Console for " + client.target().describe() + ":");
    out.println();
    out.println("  " + console.url());
    out.println();
    out.println("Open that URL in your browser (it holds this run's session). Ctrl-C stops the console.");
    out.flush();
    stopped.await();
  }
}
