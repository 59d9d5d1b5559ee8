package dev.postbackrelay.testing;

import static dev.postbackrelay.testing.ContractData.T0;
import static dev.postbackrelay.testing.ContractData.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.TimeRange;
import dev.postbackrelay.forwarding.DeliveryLog;
import dev.postbackrelay.forwarding.DeliveryLogEntry;
import dev.postbackrelay.forwarding.DeliveryQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link DeliveryLog} contract: an entry round-trips whole, {@code latest} is a delivery's last
 * attempt, and a campaign's attempts list newest first across days and pages, by destination and
 * outcome. The log may be shared between tests (each uses its own campaign).
 */
public abstract class DeliveryLogContract {

  private DeliveryLog log;

  protected abstract DeliveryLog newLog();

  @BeforeEach
  void create() {
    log = newLog();
  }

  private static DeliveryLogEntry entry(String campaign, Delivery d, int attempt, Instant at,
      DeliveryLogEntry.Outcome outcome) {
    return new DeliveryLogEntry(d.idempotencyKey(), campaign, d.clickId(), d.conversionKey(), d.destinationId(),
        d.status(), attempt, at, outcome, "POST", "https://partner.example/pb?c=1&token=********",
        "{\"event\":\"sale\"}", outcome == DeliveryLogEntry.Outcome.DELIVERED ? 200 : 503,
        outcome == DeliveryLogEntry.Outcome.DELIVERED ? "{\"ok\":true}" : null, 42,
        outcome == DeliveryLogEntry.Outcome.RETRYING ? at.plus(Duration.ofMinutes(5)) : null,
        outcome == DeliveryLogEntry.Outcome.DELIVERED ? null : "http_503");
  }

  @Test
  void anEntry_roundTripsWhole_andLatestIsTheLastAttempt() {
    String campaign = unique("camp");
    Delivery d = new Delivery(unique("click"), "sale#T1", "affiliate:a1", ConversionStatus.APPROVED, null);
    DeliveryLogEntry first = entry(campaign, d, 1, T0, DeliveryLogEntry.Outcome.RETRYING);
    DeliveryLogEntry second = entry(campaign, d, 2, T0.plus(Duration.ofMinutes(5)), DeliveryLogEntry.Outcome.DELIVERED);
    log.record(first);
    log.record(second);

    assertEquals(second, log.latest(d.idempotencyKey()).orElseThrow());
    assertEquals(List.of(second, first), log.list(new DeliveryQuery(campaign, null, null,
        new TimeRange(T0.minusSeconds(60), T0.plusSeconds(3600)), 50, null)).items());
  }

  @Test
  void attempts_listNewestFirst_acrossDaysAndPages_byDestinationAndOutcome() {
    String campaign = unique("camp");
    Instant midnight = T0.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    List<String> all = new ArrayList<>();
    List<String> deadOfD2 = new ArrayList<>();
    for (int i = -3; i < 4; i++) {
      String destination = i % 2 == 0 ? "d1" : "d2";
      Delivery d = new Delivery(unique("click"), "sale#T" + i, destination, ConversionStatus.APPROVED, null);
      DeliveryLogEntry.Outcome outcome = i < 0 ? DeliveryLogEntry.Outcome.DEAD : DeliveryLogEntry.Outcome.DELIVERED;
      DeliveryLogEntry e = entry(campaign, d, 1, midnight.plusSeconds(i * 30L), outcome);
      log.record(e);
      all.add(0, e.deliveryId());
      if (destination.equals("d2") && outcome == DeliveryLogEntry.Outcome.DEAD) {
        deadOfD2.add(0, e.deliveryId());
      }
    }
    TimeRange range = new TimeRange(midnight.minusSeconds(3600), midnight.plusSeconds(3600));
    assertEquals(all, walk(new DeliveryQuery(campaign, null, null, range, 3, null)));
    assertEquals(deadOfD2, walk(new DeliveryQuery(campaign, "d2", DeliveryLogEntry.Outcome.DEAD, range, 1, null)));
  }

  private List<String> walk(DeliveryQuery q) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<DeliveryLogEntry> page = log.list(new DeliveryQuery(q.campaignId(), q.destination(), q.outcome(), q.range(),
          q.limit(), cursor));
      assertTrue(page.items().size() <= q.limit());
      page.items().forEach(e -> ids.add(e.deliveryId()));
      cursor = page.next();
    } while (cursor != null && ++pages < 100);
    return ids;
  }
}
