package dev.postbackrelay.lambda.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.lambda.http.HttpResponses;
import dev.postbackrelay.logs.Masking;
import dev.postbackrelay.logs.ReceivedEntry;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.ReceivedQuery;
import dev.postbackrelay.logs.RefusedPostback;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The operator's logs: {@code GET /admin/postbacks}, every postback that reached the relay with its fate. */
@ApplicationScoped
public class LogsApi {

  private static final Set<String> POSTBACK_FILTERS = Set.of("campaign_id", "source_ip", "click_id", "decision",
      "reason", "txid");

  @Inject
  ReceivedLog received;

  public ObjectNode listPostbacks(List<Map.Entry<String, String>> query) {
    ListParams p = new ListParams(query, POSTBACK_FILTERS);
    Page<ReceivedEntry> page = received.list(new ReceivedQuery(p.get("campaign_id"), p.get("source_ip"),
        p.get("click_id"), p.from(), p.to(), p.get("decision"), p.get("reason"), p.get("txid"), p.limit(), p.next()));
    ObjectNode n = HttpResponses.object();
    ArrayNode items = n.putArray("items");
    page.items().forEach(e -> items.add(view(e)));
    n.put("next", page.next());
    return n;
  }

  static ObjectNode view(ReceivedEntry entry) {
    if (entry instanceof ReceivedEntry.Accepted a) {
      return accepted(a.record());
    }
    if (entry instanceof ReceivedEntry.Refused r) {
      return refused(r.refusal());
    }
    ReceivedEntry.Suppressed s = (ReceivedEntry.Suppressed) entry;
    ObjectNode n = HttpResponses.object().put("kind", "suppressed").put("id", s.id())
        .put("minute", s.minute().toString()).put("scope", s.scope().kind().name().toLowerCase(Locale.ROOT))
        .put("scope_value", s.scope().value()).put("count", s.total());
    ObjectNode reasons = n.putObject("by_reason");
    s.byReason().forEach(reasons::put);
    return n;
  }

  /** The postback record as {@code GET /admin/postbacks/{id}} shows it, extras that look secret masked. */
  private static ObjectNode accepted(PostbackRecord record) {
    ObjectNode n = HttpResponses.object().put("kind", "accepted").put("id", record.postback().postbackId());
    n.setAll(AdminApi.view(record));
    if (n.get("extra") instanceof ObjectNode extra) {
      extra.properties().forEach(e -> {
        if (Masking.masked(e.getKey())) {
          e.setValue(extra.textNode(Masking.MASK));
        }
      });
    }
    return n;
  }

  private static ObjectNode refused(RefusedPostback r) {
    ObjectNode n = HttpResponses.object().put("kind", "refused").put("id", r.id())
        .put("received_at", r.receivedAt().toString()).put("decision", "refused").put("reason", r.reason())
        .put("message", r.message()).put("method", r.method()).put("source_ip", r.sourceIp())
        .put("campaign_id", r.campaignId());
    ArrayNode params = n.putArray("params");
    r.params().forEach(e -> params.addArray().add(e.getKey()).add(e.getValue()));
    ObjectNode fields = n.putObject("fields");
    r.fields().forEach((name, value) -> fields.putObject(name).put("value", value).put("read_from",
        r.fieldNames().get(name)));
    return n;
  }
}
