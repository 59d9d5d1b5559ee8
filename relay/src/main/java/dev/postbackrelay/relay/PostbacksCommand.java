package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code relay postbacks ...}: the received-postbacks log, listed or followed, and the dry run. */
@Command(name = "postbacks", mixinStandardHelpOptions = true,
    description = "Every postback that reached the relay, accepted or refused, and the dry run.",
    subcommands = {PostbacksCommand.ListPostbacks.class, PostbacksCommand.Tail.class, PostbacksCommand.DryRun.class})
final class PostbacksCommand implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a subcommand: list, tail or dry-run");
  }

  /** The log's filters, as {@code GET /admin/postbacks} takes them. */
  static final class Filters {

    @Option(names = "--campaign", paramLabel = "ID", description = "One campaign's postbacks (`-`: those for none).")
    String campaign;

    @Option(names = "--source-ip", paramLabel = "IP", description = "Postbacks from one address.")
    String sourceIp;

    @Option(names = "--click-id", paramLabel = "ID", description = "Postbacks that named one click.")
    String clickId;

    @Option(names = "--decision", description = "attributed, status_updated, duplicate, rejected, refused or suppressed.")
    String decision;

    @Option(names = "--reason", description = "One reason code (bad_token, unsubstituted_macro...).")
    String reason;

    @Option(names = "--txid", description = "One transaction id.")
    String txid;

    Query query() {
      return new Query().put("campaign_id", campaign).put("source_ip", sourceIp).put("click_id", clickId)
          .put("decision", decision).put("reason", reason).put("txid", txid);
    }
  }

  static final List<Output.Column> COLUMNS = List.of(
      Output.Column.of("RECEIVED", "received_at"),
      new Output.Column("FATE", PostbacksCommand::fate),
      Output.Column.of("REASON", "reason"),
      Output.Column.of("CAMPAIGN", "campaign_id"),
      Output.Column.of("CLICK", "click_id"),
      Output.Column.of("SOURCE", "source_ip"),
      Output.Column.of("ID", "id"));

  /** An entry's fate in one word: its decision, refused, or the count past the cap. */
  static String fate(JsonNode e) {
    return switch (e.path("kind").asText()) {
      case "refused" -> "refused";
      case "suppressed" -> e.path("count").asText() + " more refused";
      default -> e.path("decision").asText();
    };
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The log, newest first.")
  static final class ListPostbacks extends Base {

    @Mixin
    Filters filters = new Filters();

    @Option(names = "--from", description = "ISO 8601 time, e.g. 2026-12-01T00:00:00Z.")
    String from;

    @Option(names = "--to", description = "ISO 8601 time.")
    String to;

    @Option(names = "--limit", description = "At most this many (default 50, max 500).")
    Integer limit;

    @Option(names = "--next", description = "The cursor a previous page gave.")
    String next;

    @Override
    void execute() throws Exception {
      JsonNode page = client().send("GET", filters.query().put("from", from).put("to", to).put("limit", limit)
          .put("next", next).on("/admin/postbacks"), null).json();
      if (out().json()) {
        out().print(page);
        return;
      }
      out().table(page.path("items"), COLUMNS);
      if (!page.path("next").isNull() && !page.path("next").isMissingNode()) {
        out().line("more: --next " + page.path("next").asText());
      }
    }
  }

  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = "Follows the log: the last entries, then each new one as it arrives (Ctrl-C stops).")
  static final class Tail extends Base {

    @Mixin
    Filters filters = new Filters();

    @Option(names = "--interval", defaultValue = "2s", description = "How often to look (default 2s).")
    String interval;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop after this long (e.g. 30s); default: never.")
    String duration;

    /** How far behind now each poll looks: an accepted postback's entry appears once it is attributed. */
    static final Duration LOOK_BACK = Duration.ofMinutes(2);

    @Override
    void execute() throws Exception {
      Duration every = Durations.parse(interval, "--interval");
      Instant until = duration == null ? null : Instant.now().plus(Durations.parse(duration, "--for"));
      Set<String> seen = new HashSet<>();
      Instant since = Instant.now().minus(Duration.ofMinutes(10));
      do {
        JsonNode page = client().send("GET", filters.query().put("from", since.toString()).put("limit", 500)
            .on("/admin/postbacks"), null).json();
        List<JsonNode> fresh = new ArrayList<>();
        page.path("items").forEach(e -> {
          if (seen.add(e.path("id").asText())) {
            fresh.add(0, e); // the API lists newest first: print oldest first, as tail does
          }
        });
        for (JsonNode e : fresh) {
          out().line(out().json() ? e.toString() : line(e));
        }
        if (until != null && !Instant.now().isBefore(until)) {
          break;
        }
        // an accepted postback is logged once attributed, seconds after it arrived: look back that far
        since = Instant.now().minus(LOOK_BACK);
        Thread.sleep(every.toMillis());
      } while (!Thread.currentThread().isInterrupted());
    }
  }

  /** One entry on one line, as {@code tail} prints it. */
  static String line(JsonNode e) {
    return String.format("%-24s  %-16s  %-22s  %-12s  %s  %s", Output.text(e.path("received_at").isMissingNode()
        ? e.path("minute") : e.path("received_at")), fate(e), Output.text(e.path("reason")),
        Output.text(e.path("campaign_id")), Output.text(e.path("click_id")), Output.text(e.path("source_ip"))).stripTrailing();
  }

  @Command(name = "dry-run", mixinStandardHelpOptions = true,
      description = "Explains what the relay would do with a postback, without doing it (nothing written or sent).")
  static final class DryRun extends Base {

    @Parameters(paramLabel = "URL", description = "The postback URL as the network sent it (or a query string).")
    String url;

    @Option(names = "--method", description = "GET or POST.")
    String method;

    @Option(names = "--body", description = "A POST body, as sent.")
    String body;

    @Option(names = "--content-type", description = "The body's content type.")
    String contentType;

    @Option(names = "--source-ip", paramLabel = "IP", description = "The network's server address.")
    String sourceIp;

    @Override
    void execute() throws Exception {
      ObjectNode request = new ObjectMapper().createObjectNode();
      request.put(url.contains("://") || url.startsWith("/") ? "url" : "query", url);
      putIf(request, "method", method);
      putIf(request, "body", body);
      putIf(request, "content_type", contentType);
      putIf(request, "source_ip", sourceIp);
      JsonNode run = client().send("POST", "/admin/postbacks/dry-run", request.toString()).json();
      if (out().json()) {
        out().print(run);
        return;
      }
      JsonNode answer = run.path("answer");
      out().line("verdict: " + run.path("verdict").asText() + " (the edge would answer " + answer.path("http_status")
          .asText() + (answer.has("error") ? " " + answer.path("error").asText() + ": " + answer.path("message").asText()
          : "") + ")");
      out().line("");
      out().line("read as:");
      out().table(run.path("fields"), List.of(Output.Column.of("FIELD", "field"), Output.Column.of("SENT AS", "sent_as"),
          Output.Column.of("VALUE", "value")));
      out().line("");
      out().line("checks:");
      out().table(run.path("checks"), List.of(Output.Column.of("CHECK", "check"), Output.Column.of("RESULT", "result"),
          Output.Column.of("DETAIL", "detail")));
      JsonNode a = run.path("attribution");
      if (a.isObject()) {
        out().line("");
        out().line("attribution: " + a.path("decision").asText()
            + (a.path("reason").isNull() ? "" : " (" + a.path("reason").asText() + ": "
                + a.path("reason_sentence").asText() + ")"));
        JsonNode booked = a.path("booked");
        if (booked.isObject()) {
          out().line("books: " + booked.path("status").asText() + ", payout " + booked.path("payout").asText() + " "
              + booked.path("payout_currency").asText());
        }
      }
      if (run.path("deliveries").size() > 0) {
        out().line("");
        out().line("would send:");
        out().table(run.path("deliveries"), List.of(Output.Column.of("DESTINATION", "destination"),
            Output.Column.of("METHOD", "method"), Output.Column.of("URL", "url"), Output.Column.of("WOULD FAIL", "would_fail")));
      }
    }

    private static void putIf(ObjectNode n, String name, String value) {
      if (value != null) {
        n.put(name, value);
      }
    }
  }
}
