package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code relay reports}: clicks, conversions, revenue and payout, grouped. */
@Command(name = "reports", mixinStandardHelpOptions = true,
    description = "Clicks, conversions by status, revenue, payout, profit, CR and EPC, grouped as asked.")
final class ReportsCommand extends Base {

  @Option(names = "--group-by", split = ",", paramLabel = "KEY",
      description = "campaign, affiliate, sub1, event, day or hour; several, comma separated (default: campaign).")
  List<String> groupBy;

  @Option(names = "--from", description = "ISO 8601 time or date.")
  String from;

  @Option(names = "--to", description = "ISO 8601 time or date.")
  String to;

  @Option(names = "--campaign", paramLabel = "ID", description = "One campaign.")
  String campaign;

  @Option(names = "--affiliate", paramLabel = "ID", description = "One affiliate.")
  String affiliate;

  @Option(names = "--tz", description = "The report's time zone offset, e.g. +05:30 (day boundaries follow it).")
  String tz;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write the report as CSV to FILE.")
  Path csv;

  @Override
  void execute() throws Exception {
    Query q = new Query().put("group_by", groupBy == null ? null : String.join(",", groupBy)).put("from", from)
        .put("to", to).put("campaign_id", campaign).put("affiliate_id", affiliate).put("tz", tz);
    if (csv != null) {
      AdminClient.Response r = client().send("GET", q.put("format", "csv").on("/admin/reports"), null);
      Files.writeString(csv, r.body());
      out().line("wrote " + csv + " (" + Math.max(0, r.body().split("\n", -1).length - 2) + " rows)");
      return;
    }
    JsonNode report = client().send("GET", q.on("/admin/reports"), null).json();
    if (out().json()) {
      out().print(report);
      return;
    }
    List<ObjectNode> rows = new ArrayList<>();
    report.path("rows").forEach(r -> rows.add(flat(r)));
    Set<String> names = new LinkedHashSet<>();
    rows.forEach(r -> r.fieldNames().forEachRemaining(names::add));
    List<Output.Column> columns = new ArrayList<>();
    for (String name : names) {
      columns.add(Output.Column.of(name.toUpperCase(Locale.ROOT), name));
    }
    out().table(new ArrayList<JsonNode>(rows), columns);
    if (report.path("totals").isObject()) {
      out().line("");
      ObjectNode totals = flat(report.path("totals"));
      List<String> parts = new ArrayList<>();
      totals.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + Output.text(e.getValue())));
      out().line("totals: " + String.join(", ", parts));
    }
  }

  /** A row with its nested objects spread out: {@code money.USD.revenue} becomes {@code revenue USD}. */
  static ObjectNode flat(JsonNode row) {
    ObjectNode out = new ObjectMapper().createObjectNode();
    row.fields().forEachRemaining(e -> {
      if (e.getValue().isObject() && e.getKey().equals("money")) {
        e.getValue().fields().forEachRemaining(currency -> currency.getValue().fields().forEachRemaining(
            figure -> out.set(figure.getKey() + " " + currency.getKey(), figure.getValue())));
      } else if (e.getValue().isObject()) {
        e.getValue().fields().forEachRemaining(inner -> out.set(e.getKey() + " " + inner.getKey(), inner.getValue()));
      } else {
        out.set(e.getKey(), e.getValue());
      }
    });
    return out;
  }
}
