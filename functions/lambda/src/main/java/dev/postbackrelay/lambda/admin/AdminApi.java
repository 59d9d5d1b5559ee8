package dev.postbackrelay.lambda.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.CampaignSummary;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.lambda.http.HttpResponses;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.postback.NetworkPostbackUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations behind the admin routes, answering with JSON views: campaigns (secrets masked),
 * a postback's record and decision, and a click's full story (conversions with status history and
 * deliveries, and every postback that named it).
 */
@ApplicationScoped
public class AdminApi {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickStore clicks;
  @Inject
  ConversionStore conversions;
  @Inject
  PostbackLog postbacks;
  @Inject
  OutboundGuard guard;
  @Inject
  SqsDeliveryQueue deliveries;

  /** Moves dead deliveries back onto the delivery queue ({@code ?max=}, default and cap 1000). */
  public ObjectNode replayDeadDeliveries(List<Map.Entry<String, String>> query) {
    int max = 1000;
    for (var p : query) {
      if (p.getKey().equals("max")) {
        try {
          max = Math.max(1, Math.min(1000, Integer.parseInt(p.getValue())));
        } catch (NumberFormatException e) {
          throw new RejectedException(Reason.INVALID_PARAMETER, "max must be a whole number.", "max", null);
        }
      }
    }
    return HttpResponses.object().put("replayed", deliveries.replay(max));
  }

  /** The largest stored campaign document: far inside DynamoDB's 400 KB item limit. */
  static final int MAX_STORED_CHARS = 64 * 1024;

  /**
   * Stores a campaign. A secret sent back masked, as a view shows it, keeps its stored value; for a
   * destination's secrets only while its type, URL and every endpoint setting ({@code token_url}...)
   * are unchanged, so that a masked secret can never be walked to another host.
   */
  public ObjectNode putCampaign(String campaignId, String body) {
    Campaign campaign = CampaignJson.parse(campaignId, body);
    if (body.contains(CampaignJson.MASK)) {
      Campaign stored = campaigns.find(campaignId).orElse(null);
      Campaign sent = campaign;
      campaign = sent.withSecrets(
          unmask(sent.postbackToken(), stored == null ? null : stored.postbackToken(), "postback_token"),
          unmask(sent.signingSecret(), stored == null ? null : stored.signingSecret(), "signing_secret"),
          sent.destinations().stream()
              .map(d -> unmask(d, stored == null ? null : stored.destination(d.id()).orElse(null))).toList());
    }
    CampaignRules.validate(campaign, guard, DestinationTypes.BUILT_IN);
    if (CampaignJson.write(campaign).length() > MAX_STORED_CHARS) {
      throw new RejectedException(Reason.PAYLOAD_TOO_LARGE, "The campaign is larger than " + MAX_STORED_CHARS / 1024
          + " KiB once stored: split its affiliates or destinations over several campaigns.");
    }
    campaigns.put(campaign);
    return CampaignJson.view(campaign);
  }

  /** {@code GET /admin/campaigns}: most recently changed first, {@code ?status=} one status. */
  public ObjectNode listCampaigns(List<Map.Entry<String, String>> query) {
    ListParams p = new ListParams(query, Set.of("status"));
    String status = p.get("status");
    Campaign.Status wanted = null;
    if (status != null) {
      wanted = Arrays.stream(Campaign.Status.values()).filter(s -> s.code().equals(status)).findFirst()
          .orElseThrow(() -> new RejectedException(Reason.INVALID_PARAMETER,
              "status must be active, paused or archived.", "status", null));
    }
    Page<CampaignSummary> page = campaigns.list(wanted, p.limit(), p.next());
    ObjectNode n = HttpResponses.object();
    ArrayNode items = n.putArray("items");
    page.items().forEach(c -> items.addObject().put("campaign_id", c.id()).put("status", c.status().code())
        .put("affiliates", c.affiliates()).put("destinations", c.destinations())
        .put("created_at", c.createdAt().toString()).put("updated_at", c.updatedAt().toString()));
    n.put("next", page.next());
    return n;
  }

  public ObjectNode getCampaign(String campaignId) {
    return campaigns.find(campaignId).map(CampaignJson::view).orElseThrow(AdminApi::notFound);
  }

  /** The postback URL to paste into each common network or tracker, for a relay reached at {@code baseUrl}. */
  public ObjectNode postbackUrls(String campaignId, String baseUrl) {
    Campaign campaign = campaigns.find(campaignId).orElseThrow(AdminApi::notFound);
    ObjectNode n = HttpResponses.object().put("campaign_id", campaign.id());
    ArrayNode systems = n.putArray("systems");
    for (NetworkPostbackUrls.Entry e : NetworkPostbackUrls.forCampaign(campaign, baseUrl)) {
      ObjectNode s = systems.addObject().put("system", e.system()).put("kind", e.kind()).put("url", e.url())
          .put("click_id_travels_in", e.clickIdTravelsIn());
      e.undocumented().forEach(s.putArray("undocumented")::add);
      e.notes().forEach(s.putArray("notes")::add);
      e.sources().forEach(s.putArray("sources")::add);
    }
    return n;
  }

  public ObjectNode getPostback(String postbackId) {
    PostbackRecord record = postbacks.find(postbackId).orElseThrow(AdminApi::notFound);
    ObjectNode n = view(record);
    warnAbout(n, record.postback().campaignId());
    return n;
  }

  /** Says, on a view that shows a campaign's data, what every view of that campaign must say. */
  private void warnAbout(ObjectNode n, String campaignId) {
    Campaign campaign = campaignId == null ? null : campaigns.find(campaignId).orElse(null);
    if (campaign != null && !campaign.warnings().isEmpty()) {
      n.put("postback_auth", campaign.effectivePostbackAuth().name().toLowerCase(Locale.ROOT));
      campaign.warnings().forEach(n.putArray("warnings")::add);
    }
  }

  public ObjectNode getClick(String clickId) {
    Click click = clicks.find(clickId).orElseThrow(AdminApi::notFound);
    ObjectNode n = HttpResponses.object();
    ObjectNode c = n.putObject("click");
    c.put("click_id", click.clickId()).put("campaign_id", click.campaignId()).put("affiliate_id", click.affiliateId())
        .put("created_at", click.createdAt().toString()).put("country", click.country())
        .put("expires_at", click.expiresAt().toString());
    click.subs().forEach(c.putObject("subs")::put);
    click.platformIds().forEach(c.putObject("platform_ids")::put);
    click.extra().forEach(c.putObject("extra")::put);
    ArrayNode convs = n.putArray("conversions");
    conversions.findByClick(clickId).forEach(conv -> convs.add(view(conv)));
    ArrayNode pbs = n.putArray("postbacks");
    postbacks.findByClick(clickId).forEach(record -> pbs.add(view(record)));
    warnAbout(n, click.campaignId());
    return n;
  }

  static ObjectNode view(Conversion conv) {
    ObjectNode n = HttpResponses.object();
    n.put("event", conv.event()).put("txid", conv.txid()).put("status", conv.status().code())
        .put("affiliate_id", conv.affiliateId())
        .put("amount", conv.amount() == null ? null : conv.amount().toPlainString()).put("currency", conv.currency())
        .put("payout", conv.payout() == null ? null : conv.payout().toPlainString())
        .put("payout_currency", conv.payoutCurrency()).put("payout_note", conv.payoutNote())
        .put("created_at", conv.createdAt().toString()).put("postback_id", conv.postbackId());
    ArrayNode history = n.putArray("status_history");
    for (StatusChange h : conv.history()) {
      history.addObject().put("from", h.from() == null ? null : h.from().code()).put("to", h.to().code())
          .put("at", h.at().toString()).put("postback_id", h.postbackId());
    }
    ArrayNode deliveries = n.putArray("deliveries");
    for (DeliveryAttempt d : conv.deliveries()) {
      deliveries.addObject().put("target", d.target()).put("status", d.status().code()).put("at", d.at().toString())
          .put("http_status", d.httpStatus()).put("latency_ms", d.latencyMillis()).put("error", d.error());
    }
    return n;
  }

  static ObjectNode view(PostbackRecord record) {
    ObjectNode n = PostbackJson.tree(record.postback());
    n.put("decision", record.decision().outcome().name().toLowerCase(Locale.ROOT));
    n.put("reason", record.decision().reason() == null ? null : record.decision().reason().code());
    n.put("conversion", record.decision().conversionKey());
    n.put("decided_at", record.decidedAt().toString());
    return n;
  }

  private static Destination unmask(Destination sent, Destination stored) {
    String where = "destinations[" + sent.id() + "].";
    Map<String, String> settings = new LinkedHashMap<>(sent.settings());
    boolean masked = CampaignJson.MASK.equals(sent.signingSecret())
        || settings.values().stream().anyMatch(CampaignJson.MASK::equals);
    if (masked && stored != null) {
      String changed = endpointChange(sent, stored);
      if (changed != null) {
        String secret = CampaignJson.MASK.equals(sent.signingSecret()) ? "signing_secret"
            : "settings." + settings.entrySet().stream().filter(e -> CampaignJson.MASK.equals(e.getValue()))
                .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        throw new RejectedException(Reason.INVALID_CAMPAIGN, where + secret + " is sent masked but the destination's "
            + changed + " changed: a stored secret goes only where it went before. Send the secret again.");
      }
    }
    settings.replaceAll((k, v) -> CampaignJson.MASK.equals(v)
        ? unmask(v, stored == null ? null : stored.settings().get(k), where + "settings." + k) : v);
    return sent.withSettings(settings).withSigningSecret(
        unmask(sent.signingSecret(), stored == null ? null : stored.signingSecret(), where + "signing_secret"));
  }

  /** What of the destination decides where its secrets go and differs from the stored one; null when nothing does. */
  private static String endpointChange(Destination sent, Destination stored) {
    if (!sent.type().equals(stored.type())) {
      return "type";
    }
    if (!Objects.equals(sent.url(), stored.url())) {
      return "url";
    }
    Set<String> names = new TreeSet<>(sent.settings().keySet());
    names.addAll(stored.settings().keySet());
    return names.stream().filter(CampaignRules::isEndpointSetting)
        .filter(k -> !Objects.equals(sent.settings().get(k), stored.settings().get(k)))
        .findFirst().map(k -> "settings." + k).orElse(null);
  }

  private static String unmask(String sent, String stored, String field) {
    if (!CampaignJson.MASK.equals(sent)) {
      return sent;
    }
    if (stored == null) {
      throw new RejectedException(Reason.INVALID_CAMPAIGN,
          field + " is sent masked, but a masked secret can only stand for one already stored: send the secret.");
    }
    return stored;
  }

  private static RejectedException notFound() {
    return new RejectedException(Reason.NOT_FOUND, "Nothing exists with this id.");
  }
}
