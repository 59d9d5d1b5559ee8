package dev.postbackrelay.lambda.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.Reason;
import dev.postbackrelay.RejectedException;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.forwarding.OutboundGuard;
import dev.postbackrelay.lambda.http.HttpResponses;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import dev.postbackrelay.postback.NetworkPostbackUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;

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
  public ObjectNode replayDeadDeliveries(java.util.List<java.util.Map.Entry<String, String>> query) {
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

  /** Stores a campaign; a secret sent back masked, as a view shows it, keeps its stored value. */
  public ObjectNode putCampaign(String campaignId, String body) {
    Campaign campaign = CampaignJson.parse(campaignId, body);
    if (body.contains(CampaignJson.MASK)) {
      Campaign stored = campaigns.find(campaignId).orElse(null);
      campaign = new Campaign(campaign.id(), campaign.landingUrl(),
          unmask(campaign.postbackToken(), stored == null ? null : stored.postbackToken()), campaign.active(),
          campaign.attributionWindow(), campaign.minClickAge(), campaign.currency(), campaign.allowRepeatSales(),
          campaign.transactionIdMeans(), campaign.ipAllowlist(),
          unmask(campaign.signingSecret(), stored == null ? null : stored.signingSecret()), campaign.statusMap(),
          campaign.payouts(), campaign.affiliates(), campaign.destinations().stream()
              .map(d -> unmask(d, stored == null ? null : stored.destination(d.id()).orElse(null))).toList());
    }
    CampaignRules.validate(campaign, guard);
    campaigns.put(campaign);
    return CampaignJson.view(campaign);
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
    return postbacks.find(postbackId).map(AdminApi::view).orElseThrow(AdminApi::notFound);
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
    return n;
  }

  private static ObjectNode view(Conversion conv) {
    ObjectNode n = HttpResponses.object();
    n.put("event", conv.event()).put("txid", conv.txid()).put("status", conv.status().code())
        .put("affiliate_id", conv.affiliateId())
        .put("amount", conv.amount() == null ? null : conv.amount().toPlainString()).put("currency", conv.currency())
        .put("payout", conv.payout() == null ? null : conv.payout().toPlainString())
        .put("payout_currency", conv.payoutCurrency())
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

  private static ObjectNode view(PostbackRecord record) {
    ObjectNode n = PostbackJson.tree(record.postback());
    n.put("decision", record.decision().outcome().name().toLowerCase(Locale.ROOT));
    n.put("reason", record.decision().reason() == null ? null : record.decision().reason().code());
    n.put("conversion", record.decision().conversionKey());
    n.put("decided_at", record.decidedAt().toString());
    return n;
  }

  private static Destination unmask(Destination sent, Destination stored) {
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>(sent.settings());
    settings.replaceAll((k, v) -> CampaignJson.MASK.equals(v)
        ? unmask(v, stored == null ? null : stored.settings().get(k)) : v);
    return new Destination(sent.id(), sent.type(), sent.affiliateId(), sent.url(), sent.method(), sent.format(),
        sent.urlEncode(), sent.events(), sent.statuses(), sent.fireOn(),
        unmask(sent.signingSecret(), stored == null ? null : stored.signingSecret()), settings);
  }

  private static String unmask(String sent, String stored) {
    if (!CampaignJson.MASK.equals(sent)) {
      return sent;
    }
    if (stored == null) {
      throw new RejectedException(Reason.INVALID_CAMPAIGN, "A masked secret can only stand for one already stored.");
    }
    return stored;
  }

  private static RejectedException notFound() {
    return new RejectedException(Reason.NOT_FOUND, "Nothing exists with this id.");
  }
}
