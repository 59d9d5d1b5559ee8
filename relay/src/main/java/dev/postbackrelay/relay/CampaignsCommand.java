package dev.postbackrelay.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code relay campaigns ...}: list, show, store, pause and archive campaigns, and their postback URLs. */
@Command(name = "campaigns", mixinStandardHelpOptions = true, description = "Campaigns and their postback URLs.",
    subcommands = {CampaignsCommand.ListCampaigns.class, CampaignsCommand.Get.class, CampaignsCommand.Put.class,
        CampaignsCommand.Pause.class, CampaignsCommand.Archive.class, CampaignsCommand.PostbackUrls.class})
final class CampaignsCommand implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "name a subcommand: list, get, put, pause, archive or postback-urls");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Campaigns, most recently changed first.")
  static final class ListCampaigns extends Base {

    @Option(names = "--status", description = "Only active, paused or archived ones.")
    String status;

    @Option(names = "--limit", description = "At most this many (default 50, max 500).")
    Integer limit;

    @Override
    void execute() throws Exception {
      JsonNode page = client().send("GET", new Query().put("status", status).put("limit", limit).on("/admin/campaigns"),
          null).json();
      if (out().json()) {
        out().print(page);
        return;
      }
      out().table(page.path("items"), List.of(Output.Column.of("CAMPAIGN", "campaign_id"),
          Output.Column.of("STATUS", "status"), Output.Column.of("AFFILIATES", "affiliates"),
          Output.Column.of("DESTINATIONS", "destinations"), Output.Column.of("UPDATED", "updated_at")));
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One campaign, secrets masked.")
  static final class Get extends Base {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    void execute() throws Exception {
      out().print(client().send("GET", "/admin/campaigns/" + Query.encode(id), null).json());
    }
  }

  @Command(name = "put", mixinStandardHelpOptions = true,
      description = {"Stores a campaign from a JSON file (as `get` prints it: masked secrets keep their stored value).",
          "The id is --id, else the file's campaign_id, else its name without .json."})
  static final class Put extends Base {

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--id", description = "The campaign id.")
    String id;

    @Override
    void execute() throws Exception {
      if (!Files.isRegularFile(file)) {
        throw new RelayException(RelayException.INVALID, "no such file: " + file);
      }
      String body = Files.readString(file);
      String campaignId = id;
      if (campaignId == null) {
        try {
          campaignId = new ObjectMapper().readTree(body).path("campaign_id").asText(null);
        } catch (JsonProcessingException e) {
          throw new RelayException(RelayException.INVALID, file + " is not valid JSON: " + e.getOriginalMessage());
        }
      }
      if (campaignId == null) {
        campaignId = file.getFileName().toString().replaceFirst("\\.json$", "");
      }
      JsonNode stored = client().send("PUT", "/admin/campaigns/" + Query.encode(campaignId), body).json();
      if (out().json()) {
        out().print(stored);
      } else {
        out().line("stored campaign " + stored.path("campaign_id").asText() + " (" + stored.path("status").asText() + ")");
        stored.path("warnings").forEach(w -> out().line("warning: " + w.asText()));
      }
    }
  }

  /** Moves a campaign to another status: reads it, changes its status, stores it back (secrets stay masked). */
  abstract static class StatusChange extends Base {

    @Parameters(paramLabel = "ID")
    String id;

    abstract String status();

    @Override
    void execute() throws Exception {
      String path = "/admin/campaigns/" + Query.encode(id);
      ObjectNode campaign = (ObjectNode) client().send("GET", path, null).json();
      campaign.remove("warnings");
      campaign.put("status", status());
      JsonNode stored = client().send("PUT", path, campaign.toString()).json();
      if (out().json()) {
        out().print(stored);
      } else {
        out().line("campaign " + id + " is " + stored.path("status").asText());
      }
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses a campaign.")
  static final class Pause extends StatusChange {
    @Override
    String status() {
      return "paused";
    }
  }

  @Command(name = "archive", mixinStandardHelpOptions = true,
      description = "Archives a campaign: new clicks and postbacks are refused (campaign_archived); its data stays.")
  static final class Archive extends StatusChange {
    @Override
    String status() {
      return "archived";
    }
  }

  @Command(name = "postback-urls", mixinStandardHelpOptions = true,
      description = "The postback URL to paste into each network or tracker, in its own macro syntax.")
  static final class PostbackUrls extends Base {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    void execute() throws Exception {
      JsonNode urls = client().send("GET", "/admin/campaigns/" + Query.encode(id) + "/postback-urls", null).json();
      if (out().json()) {
        out().print(urls);
        return;
      }
      for (JsonNode s : urls.path("systems")) {
        out().line(s.path("system").asText() + " (" + s.path("kind").asText() + ")");
        out().line("  " + s.path("url").asText());
        out().line("  click id travels in: " + s.path("click_id_travels_in").asText());
        s.path("undocumented").forEach(u -> out().line("  undocumented: " + u.asText()));
      }
    }
  }
}
