package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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
    JsonNode rows = report.path("rows");
    List<Output.Column> columns = new ArrayList<>();
    JsonNode shape = rows.size() > 0 ? rows.get(0) : report.path("totals");
    for (Iterator<String> names = shape.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      columns.add(Output.Column.of(name.toUpperCase(Locale.ROOT), name));
    }
    out().table(rows, columns);
    if (report.path("totals").isObject()) {
      out().line("");
      out().line("totals: " + report.path("totals"));
    }
  }
}
