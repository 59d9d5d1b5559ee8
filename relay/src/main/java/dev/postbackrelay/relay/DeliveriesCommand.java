package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code relay deliveries ...}: the sent-postbacks log, one retry, and the dead-letter replay. */
@Command(name = "deliveries", mixinStandardHelpOptions = true,
    description = "Every delivery attempt, retrying one, and replaying the dead ones.",
    subcommands = {DeliveriesCommand.ListDeliveries.class, DeliveriesCommand.Retry.class,
        DeliveriesCommand.ReplayDead.class})
final class DeliveriesCommand implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a subcommand: list, retry or replay-dead");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "One campaign's delivery attempts, newest first.")
  static final class ListDeliveries extends Base {

    @Option(names = "--campaign", paramLabel = "ID", required = true, description = "The campaign.")
    String campaign;

    @Option(names = "--destination", description = "One destination (affiliate:a1, a destination id).")
    String destination;

    @Option(names = "--outcome", description = "delivered, retrying, dead, skipped or redirect_not_followed.")
    String outcome;

    @Option(names = "--from", description = "ISO 8601 time.")
    String from;

    @Option(names = "--to", description = "ISO 8601 time.")
    String to;

    @Option(names = "--limit", description = "At most this many (default 50, max 500).")
    Integer limit;

    @Override
    void execute() throws Exception {
      JsonNode page = client().send("GET", new Query().put("campaign_id", campaign).put("destination", destination)
          .put("outcome", outcome).put("from", from).put("to", to).put("limit", limit).on("/admin/deliveries"), null).json();
      if (out().json()) {
        out().print(page);
        return;
      }
      out().table(page.path("items"), List.of(Output.Column.of("AT", "at"), Output.Column.of("OUTCOME", "outcome"),
          Output.Column.of("DESTINATION", "destination"), Output.Column.of("ATTEMPT", "attempt"),
          Output.Column.of("HTTP", "http_status"), Output.Column.of("REASON", "reason"),
          Output.Column.of("DELIVERY", "delivery_id")));
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Retries one delivery now (the same Idempotency-Key; one already made is not made again).")
  static final class Retry extends Base {

    @Parameters(paramLabel = "DELIVERY_ID")
    String id;

    @Override
    void execute() throws Exception {
      JsonNode r = client().send("POST", "/admin/deliveries/" + Query.encode(id) + "/retry", "").json();
      if (out().json()) {
        out().print(r);
      } else {
        out().line("queued delivery " + id + " again (its last outcome: " + r.path("last_outcome").asText() + ")");
      }
    }
  }

  @Command(name = "replay-dead", mixinStandardHelpOptions = true,
      description = "Moves dead deliveries back onto the delivery queue, in batches, with a progress bar.")
  static final class ReplayDead extends Base {

    /** Deliveries moved per request: each request stays well inside API Gateway's 30 s. */
    static final int BATCH = 100;

    @Option(names = "--max", defaultValue = "1000", description = "At most this many (default 1000).")
    int max;

    @Override
    void execute() throws Exception {
      if (max < 1) {
        throw new RelayException(RelayException.INVALID, "--max must be at least 1");
      }
      int replayed = 0;
      while (replayed < max) {
        int batch = Math.min(BATCH, max - replayed);
        int moved = client().send("POST", "/admin/deliveries/replay?max=" + batch, "").json().path("replayed").asInt();
        replayed += moved;
        if (!out().json()) {
          progress(replayed, max, moved < batch);
        }
        if (moved < batch) {
          break; // the dead-letter queue is empty
        }
      }
      if (out().json()) {
        out().print(new ObjectMapper().createObjectNode().put("replayed", replayed));
      } else {
        out().line("replayed " + replayed + " dead deliver" + (replayed == 1 ? "y" : "ies"));
      }
    }

    private void progress(int done, int of, boolean finished) {
      int width = 30;
      int filled = finished ? width : (int) ((long) done * width / of);
      boolean last = finished || done >= of;
      out().writer().print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done
          + (finished ? " (queue empty)" : " / " + of) + (last ? "\n" : ""));
      out().writer().flush();
    }
  }
}
