package dev.postbackrelay.testing;

import dev.postbackrelay.Params;
import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.RateTable;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickRequest;
import dev.postbackrelay.click.ClickService;
import dev.postbackrelay.forwarding.ForwardingService;
import dev.postbackrelay.forwarding.OutboundGuard;
import dev.postbackrelay.postback.InboundPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.postback.PostbackService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole core wired to in-memory fakes and a clock that stands still: click, postback,
 * attribution and forwarding as the Lambda functions wire them, with nothing real underneath.
 *
 * <p>Host names resolve only through {@link #dns} (IP literals resolve to themselves), so no test
 * ever does a DNS lookup. The rate table holds EUR and GBP.
 */
public final class CoreFixture {

  public static final byte[] CLICK_ID_KEY = "test-click-id-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  public static final String RATES = "EUR=0.92,GBP=0.79";
  public static final String PARTNER_HOST = "partner.example";
  public static final String PARTNER_ADDRESS = "203.0.113.10";

  public final MutableClock clock = MutableClock.atNewYear2025();
  public final InMemoryCampaignStore campaigns = new InMemoryCampaignStore();
  public final InMemoryClickStore clicks = new InMemoryClickStore();
  public final InMemoryConversionStore conversions = new InMemoryConversionStore();
  public final InMemoryCustomerStore customers = new InMemoryCustomerStore();
  public final InMemoryPostbackLog log = new InMemoryPostbackLog();
  public final RecordingConversionQueue queue = new RecordingConversionQueue();
  public final ScriptedPostbackSender sender = new ScriptedPostbackSender();
  public final Map<String, List<String>> dns = new ConcurrentHashMap<>();
  public final ClickIds clickIds = new ClickIds(List.of(CLICK_ID_KEY));
  public final PostbackIds postbackIds = new PostbackIds();
  public final OutboundGuard guard = new OutboundGuard(false, this::resolve);
  public final ClickService clickService = new ClickService(campaigns, clicks, clickIds, clock);
  public final PostbackService postbackService =
      new PostbackService(campaigns, clicks, clickIds, queue, postbackIds, clock);
  public final ForwardingService forwarding = new ForwardingService(conversions, sender, guard, clock);
  public final AttributionService attribution = new AttributionService(clicks, campaigns, conversions, customers, log,
      forwarding, RateTable.parse(RATES), clock);

  public CoreFixture() {
    dns.put(PARTNER_HOST, List.of(PARTNER_ADDRESS));
  }

  public CoreFixture with(Campaign campaign) {
    campaigns.put(campaign);
    return this;
  }

  /** Registers a click through {@link ClickService}, as {@code GET /click} would, and returns its id. */
  public String click(String campaignId, String affiliateId, String... moreParams) {
    Map<String, String> params = pairs(moreParams);
    params.put("campaign_id", campaignId);
    params.put("affiliate_id", affiliateId);
    return clickService.register(new ClickRequest(Params.of(params), "198.51.100.7", "Mozilla/5.0", null, "DE"))
        .clickId();
  }

  /** Accepts a GET postback from {@code 198.51.100.20}; params are name, value, name, value... */
  public Postback postback(String... params) {
    return postbackService.accept(get(params));
  }

  /** Attributes one postback as the consumer would and returns its result (null when it threw). */
  public AttributionService.Result attribute(Postback postback) {
    return attribution.attributeAll(List.of(postback)).get(postback.postbackId());
  }

  public static InboundPostback get(String... params) {
    return new InboundPostback(Params.of(List.copyOf(pairs(params).entrySet())), "GET", "/postback", "198.51.100.20");
  }

  public static Map<String, String> pairs(String... nameValue) {
    if (nameValue.length % 2 != 0) {
      throw new IllegalArgumentException("name, value pairs expected");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      map.put(nameValue[i], nameValue[i + 1]);
    }
    return map;
  }

  private InetAddress[] resolve(String host) throws UnknownHostException {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.matches("[0-9.]+") || h.contains(":")) {
      return new InetAddress[] {InetAddress.getByName(h)}; // a literal: parsed, never looked up
    }
    List<String> answers = dns.get(h);
    if (answers == null) {
      throw new UnknownHostException(h);
    }
    InetAddress[] out = new InetAddress[answers.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = InetAddress.getByName(answers.get(i));
    }
    return out;
  }
}
