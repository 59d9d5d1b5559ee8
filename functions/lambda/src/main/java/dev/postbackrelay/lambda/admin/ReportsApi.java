package dev.postbackrelay.lambda.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.lambda.http.HttpResponses;
import dev.postbackrelay.stats.Dimension;
import dev.postbackrelay.stats.ReportQuery;
import dev.postbackrelay.stats.ReportRow;
import dev.postbackrelay.stats.Reports;
import dev.postbackrelay.stats.StatsKey;
import dev.postbackrelay.stats.StatsRow;
import dev.postbackrelay.stats.StatsStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /admin/reports}: clicks, conversions by status, revenue and payout per currency, with
 * CR, EPC, profit and approval rate, grouped by {@code group_by}, from the stats table (one Query per
 * campaign and UTC day; without {@code campaign_id}, the day's campaigns first). JSON, or CSV with
 * {@code format=csv}.
 */
@ApplicationScoped
public class ReportsApi {

  private static final Set<String> NAMES = Set.of("group_by", "from", "to", "campaign_id", "affiliate_id", "tz",
      "format");

  @Inject
  StatsStore stats;

  /** The report the query asks for; {@code csv} set when it asks for CSV. */
  public record Answer(ObjectNode json, String csv) {}

  public Answer report(List<Map.Entry<String, String>> query) {
    Params p = Params.of(query);
    Set<String> unknown = new TreeSet<>(p.asMap().keySet());
    unknown.removeAll(NAMES);
    if (!unknown.isEmpty()) {
      String name = unknown.iterator().next();
      throw new RejectedException(Reason.INVALID_PARAMETER, "Reports take no parameter '" + name + "'; they take "
          + String.join(", ", new TreeSet<>(NAMES)) + ".", name, null);
    }
    ZoneOffset tz = tz(p.first("tz").orElse("+00:00"));
    Instant to = time(p.first("to").orElse(null), "to", tz);
    Instant from = time(p.first("from").orElse(null), "from", tz);
    if (to == null) { // the end of the current half hour
      long step = StatsKey.HALF_HOUR.toSeconds();
      to = Instant.ofEpochSecond((Instant.now().getEpochSecond() / step + 1) * step);
    }
    if (from == null) {
      from = LocalDate.ofInstant(to, tz).minusDays(6).atStartOfDay(tz).toInstant();
    }
    ReportQuery q = new ReportQuery(groupBy(p.first("group_by").orElse("")), from, to,
        p.first("campaign_id").orElse(null), p.first("affiliate_id").orElse(null), tz);
    Reports.check(q);
    String format = p.first("format").orElse("json");
    if (!format.equals("json") && !format.equals("csv")) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "format must be json or csv.", "format", format);
    }
    List<StatsRow> items = new ArrayList<>();
    List<String> campaigns = q.campaignId() != null ? List.of(q.campaignId()) : stats.campaigns(q.from(), q.to());
    for (String campaign : campaigns) {
      items.addAll(stats.read(q.grain(), campaign, q.affiliateId(), q.from(), q.to()));
    }
    Reports.Report report = Reports.build(q, items);
    return format.equals("csv") ? new Answer(null, csv(q, report)) : new Answer(json(q, report), null);
  }

  private static List<Dimension> groupBy(String raw) {
    List<Dimension> out = new ArrayList<>();
    for (String part : raw.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      out.add(Arrays.stream(Dimension.values()).filter(d -> d.code().equals(name)).findFirst()
          .orElseThrow(() -> new RejectedException(Reason.INVALID_PARAMETER, "group_by takes campaign, affiliate, sub1,"
              + " event, day and hour, comma-separated.", "group_by", name)));
    }
    return out;
  }

  private static ZoneOffset tz(String raw) {
    try {
      return ZoneOffset.of(raw.equals("Z") || raw.equals("UTC") ? "Z" : raw.replace(' ', '+'));
    } catch (DateTimeException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "tz must be an offset such as +05:30, -03:00 or Z.", "tz",
          raw);
    }
  }

  /** A time with its offset, or a date (its midnight in {@code tz}). */
  private static Instant time(String raw, String name, ZoneOffset tz) {
    if (raw == null) {
      return null;
    }
    try {
      return raw.length() == 10 ? LocalDate.parse(raw).atStartOfDay(tz).toInstant()
          : OffsetDateTime.parse(raw.replace(' ', '+')).toInstant();
    } catch (DateTimeParseException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER, name + " must be a date (2025-01-31, midnight in tz) or"
          + " an ISO 8601 time with its offset (2025-01-31T18:30:00+05:30).", name, raw);
    }
  }

  private static ObjectNode json(ReportQuery q, Reports.Report report) {
    ObjectNode n = HttpResponses.object();
    n.put("from", q.from().toString()).put("to", q.to().toString()).put("tz", q.tz().getId());
    ArrayNode groupBy = n.putArray("group_by");
    q.groupBy().forEach(d -> groupBy.add(d.code()));
    ArrayNode rows = n.putArray("rows");
    report.rows().forEach(r -> rows.add(row(q, r)));
    n.set("totals", row(q, report.totals()));
    return n;
  }

  private static ObjectNode row(ReportQuery q, ReportRow r) {
    ObjectNode n = HttpResponses.object();
    for (Dimension d : q.groupBy()) {
      if (r.group().containsKey(d)) {
        n.put(d.code(), r.group().get(d));
      }
    }
    n.put("clicks", r.clicks()).put("conversions", r.conversionCount());
    for (ConversionStatus s : ConversionStatus.values()) {
      n.put(s.code(), r.conversions().get(s));
    }
    n.put("cr", plain(r.cr())).put("approval_rate", plain(r.approvalRate()));
    ObjectNode money = n.putObject("money");
    r.money().forEach((currency, m) -> money.putObject(currency).put("revenue", plain(m.revenue()))
        .put("payout", plain(m.payout())).put("profit", plain(m.profit())).put("epc", plain(r.epc(currency))));
    return n;
  }

  private static String csv(ReportQuery q, Reports.Report report) {
    Set<String> currencies = new TreeSet<>(report.totals().money().keySet());
    List<String> header = new ArrayList<>();
    q.groupBy().forEach(d -> header.add(d.code()));
    header.addAll(List.of("clicks", "conversions", "pending", "approved", "rejected", "chargeback", "cr",
        "approval_rate"));
    currencies.forEach(c -> header.addAll(List.of("revenue_" + c, "payout_" + c, "profit_" + c, "epc_" + c)));
    StringBuilder out = new StringBuilder(String.join(",", header)).append("\r\n");
    for (ReportRow r : report.rows()) {
      List<String> cells = new ArrayList<>();
      q.groupBy().forEach(d -> cells.add(cell(r.group().get(d))));
      cells.add(Long.toString(r.clicks()));
      cells.add(Long.toString(r.conversionCount()));
      for (ConversionStatus s : ConversionStatus.values()) {
        cells.add(Long.toString(r.conversions().get(s)));
      }
      cells.add(cell(plain(r.cr())));
      cells.add(cell(plain(r.approvalRate())));
      for (String c : currencies) {
        ReportRow.Money m = r.money().getOrDefault(c, new ReportRow.Money(BigDecimal.ZERO, BigDecimal.ZERO));
        cells.addAll(List.of(plain(m.revenue()), plain(m.payout()), plain(m.profit()),
            cell(r.clicks() == 0 ? null : plain(m.payout().divide(BigDecimal.valueOf(r.clicks()), 4,
                RoundingMode.HALF_EVEN)))));
      }
      out.append(String.join(",", cells)).append("\r\n");
    }
    return out.toString();
  }

  private static String cell(String value) {
    if (value == null) {
      return "";
    }
    String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("-?[0-9.]+")
        ? "'" + value : value; // no formula injection into spreadsheets
    return safe.matches("[^\",\r\n]*") ? safe : "\"" + safe.replace("\"", "\"\"") + "\"";
  }

  private static String plain(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros().toPlainString();
  }
}
