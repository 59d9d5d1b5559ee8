package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code relay clicks show ID}: a click's story. */
@Command(name = "clicks", mixinStandardHelpOptions = true, description = "A click's story.",
    subcommands = ClicksCommand.Show.class)
final class ClicksCommand implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "name a subcommand: show");
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "The click, its conversions with their status history and deliveries, and every postback that named it.")
  static final class Show extends Base {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    void execute() throws Exception {
      JsonNode story = client().send("GET", "/admin/clicks/" + Query.encode(id), null).json();
      if (out().json()) {
        out().print(story);
        return;
      }
      JsonNode c = story.path("click");
      out().line("click " + c.path("click_id").asText() + "  campaign " + c.path("campaign_id").asText() + "  affiliate "
          + c.path("affiliate_id").asText() + "  at " + c.path("created_at").asText() + "  subs " + Output.text(c.path("subs")));
      out().line("");
      out().line("conversions:");
      for (JsonNode conv : story.path("conversions")) {
        out().line("  " + conv.path("event").asText() + " " + conv.path("txid").asText() + "  " + conv.path("status").asText()
            + "  payout " + conv.path("payout").asText() + " " + conv.path("payout_currency").asText()
            + "  (" + conv.path("status_history").size() + " status change(s))");
        out().table(conv.path("deliveries"), List.of(Output.Column.of("  DELIVERY", "target"),
            Output.Column.of("STATUS", "status"), Output.Column.of("AT", "at"), Output.Column.of("HTTP", "http_status"),
            Output.Column.of("ERROR", "error")));
      }
      out().line("");
      out().line("postbacks that named it:");
      out().table(story.path("postbacks"), List.of(Output.Column.of("RECEIVED", "received_at"),
          Output.Column.of("DECISION", "decision"), Output.Column.of("REASON", "reason"),
          Output.Column.of("ID", "postback_id")));
    }
  }
}
