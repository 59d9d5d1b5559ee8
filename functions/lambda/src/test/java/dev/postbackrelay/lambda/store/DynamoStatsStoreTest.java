package dev.postbackrelay.lambda.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.stats.Dimension;
import dev.postbackrelay.stats.Fact;
import dev.postbackrelay.stats.ReportQuery;
import dev.postbackrelay.stats.ReportRow;
import dev.postbackrelay.stats.Reports;
import dev.postbackrelay.stats.StatsKey;
import dev.postbackrelay.stats.StatsService;
import dev.postbackrelay.stats.StreamChange;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The stats store on DynamoDB Local: a batch delivered again, whole, in halves (bisect) or after the
 * function died between two writes, counts every record exactly once.
 */
class DynamoStatsStoreTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:10:00Z");
  private final LocalAws aws = LocalAws.shared();
  private final DynamoDbClient dynamo = aws.dynamo();
  private final String campaign = "c-" + UUID.randomUUID();

  /** A batch of 40 records over two affiliates, three half hours and a status change; deep seq numbers. */
  private List<StreamChange> batch() {
    List<StreamChange> out = new ArrayList<>();
    BigInteger base = new BigInteger("4421584500000000017450439091000000"); // 34 digits
    for (int i = 0; i < 30; i++) {
      out.add(new StreamChange(base.add(BigInteger.valueOf(i)), StreamChange.Kind.INSERT, null,
          new Fact.Clicked(campaign, i % 2 == 0 ? "a1" : "a2", "s" + i % 3, T0.plus(Duration.ofMinutes(i * 3)))));
    }
    for (int i = 30; i < 40; i++) {
      var pending = conversion(ConversionStatus.PENDING, i);
      out.add(new StreamChange(base.add(BigInteger.valueOf(i)), StreamChange.Kind.INSERT, null, pending));
    }
    out.add(new StreamChange(base.add(BigInteger.valueOf(40)), StreamChange.Kind.MODIFY,
        conversion(ConversionStatus.PENDING, 30), conversion(ConversionStatus.APPROVED, 30)));
    out.add(new StreamChange(base.add(BigInteger.valueOf(41)), StreamChange.Kind.MODIFY,
        conversion(ConversionStatus.APPROVED, 30), conversion(ConversionStatus.APPROVED, 30)));
    out.add(new StreamChange(base.add(BigInteger.valueOf(42)), StreamChange.Kind.EXPIRED,
        conversion(ConversionStatus.APPROVED, 30), null));
    return out;
  }

  private Fact.Converted conversion(ConversionStatus status, int i) {
    return new Fact.Converted(campaign, "a1", "s1", "sale", status, T0.plus(Duration.ofMinutes(i)),
        new BigDecimal("10.01"), "USD", new BigDecimal("1.10"), "USD");
  }

  private StatsService service(Runnable afterWrite) {
    return new StatsService(new DynamoStatsStore(dynamo, "StatsTable", afterWrite),
        new DynamoSubAdmission(dynamo, "StatsTable"));
  }

  private ReportRow totals(StatsKey.Grain grain) {
    var q = new ReportQuery(grain == StatsKey.Grain.SUB_DAY ? List.of(Dimension.SUB1) : List.of(Dimension.HOUR),
        Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-03-02T00:00:00Z"), campaign, null, ZoneOffset.UTC);
    return Reports.build(q, new DynamoStatsStore(dynamo, "StatsTable").read(grain, campaign, null, q.from(), q.to()))
        .totals();
  }

  private void assertCountedOnce() {
    for (StatsKey.Grain grain : List.of(StatsKey.Grain.HALF_HOUR, StatsKey.Grain.SUB_DAY)) {
      ReportRow t = totals(grain);
      assertEquals(30, t.clicks(), grain.name());
      assertEquals(9L, t.conversions().get(ConversionStatus.PENDING), grain.name());
      assertEquals(1L, t.conversions().get(ConversionStatus.APPROVED), grain.name());
      assertEquals(0, new BigDecimal("100.1").compareTo(t.money().get("USD").revenue()), grain.name());
      assertEquals(0, new BigDecimal("11.0").compareTo(t.money().get("USD").payout()), grain.name());
    }
  }

  @Test
  void aBatchDeliveredTwice_countsOnce() {
    service(() -> { }).apply("shard-1", batch());
    service(() -> { }).apply("shard-1", batch());

    assertCountedOnce();
  }

  @Test
  void aBatchBisectedAfterItWasApplied_countsOnce() {
    List<StreamChange> all = batch();
    service(() -> { }).apply("shard-1", all);
    service(() -> { }).apply("shard-1", all.subList(0, all.size() / 2));
    service(() -> { }).apply("shard-1", all.subList(all.size() / 2, all.size()));

    assertCountedOnce();
  }

  private Runnable dieAtWrite(int crashAt) {
    AtomicInteger writes = new AtomicInteger();
    return () -> {
      if (writes.incrementAndGet() == crashAt) {
        throw new IllegalStateException("the container died after write " + crashAt);
      }
    };
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 9})
  void aFunctionKilledBetweenTwoWrites_getsTheWholeBatchAgain_andCountsOnce(int crashAt) {
    try {
      service(dieAtWrite(crashAt)).apply("shard-1", batch());
    } catch (IllegalStateException killed) {
      // no answer: the event source delivers the whole batch again
    }
    service(() -> { }).apply("shard-1", batch());

    assertCountedOnce();
  }

  /** Writes 1 to 3 are the first record's items: a failure there fails the invocation, as above. */
  @ParameterizedTest
  @ValueSource(ints = {4, 6, 9})
  void aWriteThatFailsMidBatch_isRetriedFromTheFirstUnappliedRecord_andCountsOnce(int crashAt) {
    Optional<BigInteger> retryFrom = service(dieAtWrite(crashAt)).apply("shard-1", batch());

    assertTrue(retryFrom.isPresent());
    service(() -> { }).apply("shard-1", batch().stream().filter(c -> c.seq().compareTo(retryFrom.get()) >= 0)
        .toList());
    assertCountedOnce();
  }

  @Test
  void theFirstHalfDeliveredAgainAfterItsItemsMovedOn_countsOnce() {
    List<StreamChange> all = batch();
    service(() -> { }).apply("shard-1", all.subList(0, 20));
    service(() -> { }).apply("shard-1", all); // the checkpoint was lost: the whole batch comes again
    service(() -> { }).apply("shard-1", all.subList(10, 30));

    assertCountedOnce();
  }

  @Test
  void anotherShardsRecordsAreTheirOwn() {
    List<StreamChange> all = batch();
    service(() -> { }).apply("shard-1", all.subList(0, 20));
    service(() -> { }).apply("shard-2", all.subList(20, all.size()));

    assertCountedOnce();
  }

  @Test
  void aSequenceNumberTooLongForTheGuardIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DynamoStatsStore.padded(BigInteger.TEN.pow(48)));
    assertEquals(48, DynamoStatsStore.padded(BigInteger.TEN.pow(47)).length());
  }

  /** The read cost of a 31-day, by-day report of one campaign with one affiliate active in every half hour. */
  @Test
  void aMonthByDayReportReadsAboutOnePartitionPerDay() {
    String c = "month-" + UUID.randomUUID();
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    List<StreamChange> changes = new ArrayList<>();
    for (int i = 0; i < 31 * 48; i++) {
      changes.add(new StreamChange(BigInteger.valueOf(i + 1), StreamChange.Kind.INSERT, null,
          new Fact.Clicked(c, "a1", "", start.plus(StatsKey.HALF_HOUR.multipliedBy(i)))));
    }
    StatsService s = service(() -> { });
    for (int from = 0; from < changes.size(); from += 100) {
      s.apply("shard-m", changes.subList(from, Math.min(changes.size(), from + 100)));
    }
    double units = 0;
    int queries = 0;
    for (int d = 0; d < 32; d++) { // a +05:30 month touches 32 UTC days
      int day = d;
      var r = dynamo.query(b -> b.tableName("StatsTable").keyConditionExpression("pk = :pk")
          .expressionAttributeValues(Map.of(":pk", Attr.s("h#" + c + "#" + start.plus(Duration.ofDays(day))
              .atZone(ZoneOffset.UTC).toLocalDate())))
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
      queries++;
      if (r.consumedCapacity() != null && r.consumedCapacity().capacityUnits() != null) {
        units += r.consumedCapacity().capacityUnits();
      }
    }
    var q = new ReportQuery(List.of(Dimension.DAY), start, start.plus(Duration.ofDays(31)), c, null,
        ZoneOffset.UTC);
    var report = Reports.build(q, new DynamoStatsStore(dynamo, "StatsTable").read(StatsKey.Grain.HALF_HOUR, c, null,
        q.from(), q.to()));
    assertEquals(31, report.rows().size());
    assertEquals(31 * 48, report.totals().clicks());
    System.out.printf("31-day by-day report, 1 affiliate: %d queries, %.1f read units (one day's partition)%n",
        queries, units);
  }
}
