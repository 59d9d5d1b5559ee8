package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.RateTable;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickRequest;
import dev.postbackrelay.click.ClickService;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.doctor.PostbackDoctor;
import dev.postbackrelay.forwarding.AccessTokens;
import dev.postbackrelay.forwarding.DeliveryOutcome;
import dev.postbackrelay.forwarding.DeliveryService;
import dev.postbackrelay.forwarding.RetrySchedule;
import dev.postbackrelay.forwarding.SecretResolver;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.postback.InboundPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.postback.PostbackService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole core wired to in-memory fakes and a clock that stands still: click, postback,
 * attribution and delivery as the Lambda functions wire them, with nothing real underneath.
 *
 * <p>Attribution puts its deliveries on {@link #deliveryQueue}; nothing is sent until a test
 * {@link #drain drains} that queue through {@link #delivery}, as the delivery consumer would,
 * retries on the short {@link #RETRIES} schedule included.
 *
 * <p>Host names resolve only through {@link #dns} (IP literals resolve to themselves), so no test
 * ever does a DNS lookup. The rate table holds EUR and GBP.
 */
public final class CoreFixture {

  public static final byte[] CLICK_ID_KEY = "test-click-id-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  public static final String RATES = "EUR=0.92,GBP=0.79";
  public static final String PARTNER_HOST = "partner.example";
  public static final String PARTNER_ADDRESS = "203.0.113.10";
  /** The tests' retry schedule: three retries, so the fourth failed attempt is the last. */
  public static final RetrySchedule RETRIES = RetrySchedule.parse("1m,5m,30m");

  public final MutableClock clock = MutableClock.atNewYear2025();
  public final InMemoryCampaignStore campaigns = new InMemoryCampaignStore();
  public final InMemoryClickStore clicks = new InMemoryClickStore();
  public final InMemoryConversionStore conversions = new InMemoryConversionStore();
  public final InMemoryCustomerStore customers = new InMemoryCustomerStore();
  public final InMemoryPostbackLog log = new InMemoryPostbackLog();
  public final RecordingConversionQueue queue = new RecordingConversionQueue();
  public final InMemorySignatureReplayStore replays = new InMemorySignatureReplayStore();
  public final RecordingDeliveryQueue deliveryQueue = new RecordingDeliveryQueue();
  public final ScriptedPostbackSender sender = new ScriptedPostbackSender();
  public final Map<String, List<String>> dns = new ConcurrentHashMap<>();
  public final ClickIds clickIds = new ClickIds(List.of(CLICK_ID_KEY));
  public final PostbackIds postbackIds = new PostbackIds();
  public final OutboundGuard guard = new OutboundGuard(false, this::resolve);
  public final ClickService clickService = new ClickService(campaigns, clicks, clickIds, clock);
  public final PostbackService postbackService =
      new PostbackService(campaigns, clicks, conversions, clickIds, queue, replays, postbackIds, clock);
  public final AttributionService attribution = new AttributionService(clicks, campaigns, conversions, customers, log,
      deliveryQueue, RateTable.parse(RATES), clock);
  public final InMemoryDeliveryLog deliveryLog = new InMemoryDeliveryLog();
  public final DeliveryService delivery = new DeliveryService(conversions, clicks, campaigns,
      DestinationTypes.BUILT_IN::get, sender, guard, RETRIES, SecretResolver.literal(), AccessTokens.none(), deliveryLog,
      clock);

  /** The dry run over the same stores: reads them, writes nothing. */
  public final PostbackDoctor doctor = new PostbackDoctor(campaigns, clicks, conversions, customers, replays, clickIds,
      RateTable.parse(RATES), DestinationTypes.BUILT_IN::get, guard, clock);

  /** One run of one delivery, as the delivery consumer saw it. */
  public record Run(Delivery delivery, DeliveryOutcome outcome, Instant at) {}

  private record Postponed(Delivery delivery, Instant due) {}

  private final List<Postponed> postponed = new ArrayList<>();
  private final List<Delivery> deadLetters = new ArrayList<>();

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

  /**
   * Runs every delivery that is on the queue or postponed and now due, once each, in queue order,
   * as the delivery consumer would: delivered and skipped ones are done; a retry is postponed
   * until it is due; a dead one goes to the {@link #deadLetters() dead-letter queue}. A run that
   * throws leaves its delivery postponed until now (SQS would bring it back), then rethrows.
   */
  public synchronized List<Run> drain() {
    Instant now = clock.instant();
    List<Delivery> due = new ArrayList<>();
    postponed.removeIf(p -> {
      if (p.due().isAfter(now)) {
        return false;
      }
      due.add(p.delivery());
      return true;
    });
    due.addAll(deliveryQueue.drain());
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < due.size(); i++) {
      Delivery d = due.get(i);
      DeliveryOutcome outcome;
      try {
        outcome = delivery.deliver(d);
      } catch (RuntimeException e) {
        due.subList(i, due.size()).forEach(left -> postponed.add(new Postponed(left, now)));
        throw e;
      }
      runs.add(new Run(d, outcome, now));
      if (outcome instanceof DeliveryOutcome.RetryAfter retry) {
        postponed.add(new Postponed(d, now.plus(retry.delay())));
      } else if (outcome instanceof DeliveryOutcome.Dead) {
        deadLetters.add(d);
      }
    }
    return runs;
  }

  /**
   * {@link #drain Drains}, then moves the clock to the next postponed delivery's due time and
   * drains again, until nothing is queued or postponed: every delivery ends delivered, skipped or
   * dead. Returns every run, in order.
   */
  public synchronized List<Run> drainUntilSettled() {
    List<Run> runs = new ArrayList<>(drain());
    for (int rounds = 0; !postponed.isEmpty() || !deliveryQueue.sent().isEmpty(); rounds++) {
      if (rounds > 1000) {
        throw new AssertionError("deliveries never settle: " + postponed);
      }
      postponed.stream().map(Postponed::due).min(Comparator.naturalOrder())
          .filter(due -> due.isAfter(clock.instant()))
          .ifPresent(clock::set);
      runs.addAll(drain());
    }
    return runs;
  }

  /** Deliveries postponed for a retry and not yet run again. */
  public synchronized List<Delivery> postponed() {
    return postponed.stream().map(Postponed::delivery).toList();
  }

  /** The dead-letter queue: deliveries given up on, oldest first (a snapshot). */
  public synchronized List<Delivery> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** Re-drives every dead delivery onto the delivery queue, as the replay command does. */
  public synchronized List<Delivery> replayDeadLetters() {
    List<Delivery> replayed = deadLetters.stream().map(d -> d.replayed(clock.instant())).toList();
    deadLetters.clear();
    deliveryQueue.send(replayed);
    return replayed;
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
