package dev.postbackrelay.relay;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code relay}: the operators' command line over the admin API, against the local stack
 * ({@code --local}, the default), a deployed stack ({@code --stack NAME}, SigV4-signed) or any URL
 * ({@code --url} with {@code --token}).
 *
 * <p>Exit codes: 0 done; 1 failed; 2 usage; 3 target unreachable; 4 not authorised (401/403);
 * 5 refused as invalid (the API's 4xx, with the field); 6 not found.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, version = "relay 0.1.0",
    description = "Operate a Postback Relay: campaigns, the postback and delivery logs, reports, and a web console.",
    subcommands = {CampaignsCommand.class, PostbacksCommand.class, ClicksCommand.class, DeliveriesCommand.class,
        ReportsCommand.class, ConsoleCommand.class},
    footer = {"", "Exit codes: 0 done, 1 failed, 2 usage, 3 unreachable, 4 not authorised, 5 invalid, 6 not found."})
public final class Relay implements Runnable {

  @Option(names = "--local", scope = ScopeType.INHERIT,
      description = "The running local stack (the default): found through ~/.postback-relay/local-stack.json.")
  boolean local;

  @Option(names = "--stack", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "A deployed stack: its ApiUrl output, every request signed with SigV4 (profiles, environment, SSO).")
  String stack;

  @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
      description = "The deployed stack's region (default: the AWS SDK's region chain).")
  String region;

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "Any relay's base URL.")
  String url;

  @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
      description = "The admin token for --url (default: RELAY_ADMIN_TOKEN).")
  String token;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON instead of a table.")
  boolean json;

  private final Map<String, String> env;
  private final PrintWriter out;
  private AdminClient client;

  public Relay(Map<String, String> env, PrintWriter out) {
    this.env = env;
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line; returns its exit code. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Relay(env, out));
    cli.setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof RelayException r) {
        err.println("relay: " + r.getMessage());
        err.flush();
        return r.exitCode();
      }
      err.println("relay: " + e);
      err.flush();
      return RelayException.FAILED;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a command; relay --help lists them");
  }

  Map<String, String> env() {
    return env;
  }

  Output output() {
    return new Output(out, json);
  }

  /** The client for the chosen target, resolved once. */
  AdminClient client() throws RelayException {
    if (client == null) {
      int chosen = (local ? 1 : 0) + (stack != null ? 1 : 0) + (url != null ? 1 : 0);
      if (chosen > 1) {
        throw new RelayException(RelayException.INVALID, "choose one target: --local, --stack NAME or --url URL");
      }
      Target target = stack != null ? Target.stack(stack, region)
          : url != null ? Target.url(url, token != null ? token : env.get("RELAY_ADMIN_TOKEN"))
          : Target.local(env);
      client = new AdminClient(target);
    }
    return client;
  }
}
