package dev.postbackrelay.localruntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Aggregation lag and stats writes through a running local stack, at the template's batch settings.
 * Lag: one click (or conversion) at a time, the time from its 200/302 until {@code GET /admin/reports}
 * shows it (polled every 50 ms), p50 and p99. Writes: a burst of clicks and conversions over two
 * affiliates and ten subs, then the stats items' {@code writes} counters (each stats write adds one),
 * read with Query from DynamoDB Local, per 1,000 events.
 *
 * <p>{@code java -cp infra/local-runtime/target/local-runtime.jar dev.postbackrelay.localruntime.StatsBench
 * --token ADMIN_TOKEN --dynamodb http://127.0.0.1:PORT [--samples 40] [--events 1000] [--concurrency 4]}
 */
public final class StatsBench {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatsBench() {}

  public static void main(String[] args) throws Exception {
    BenchStack stack = new BenchStack(args, Map.of("samples", "40", "events", "1000", "dynamodb", ""));
    int samples = Math.min(500, stack.intOption("samples"));
    int events = Math.min(10_000, stack.intOption("events"));
    String campaign = "sbench-" + System.currentTimeMillis();
    stack.putCampaign(campaign, "{\"landing_url\":\"https://example.com/?cid={click_id}\",\"postback_token\":"
        + "\"bench-token\",\"affiliates\":{\"a1\":{},\"a2\":{}}}");
    List<Long> clickLag = new ArrayList<>();
    List<Long> conversionLag = new ArrayList<>();
    long clicks = 0;
    long conversions = 0;
    for (int i = 0; i < samples; i++) {
      String clickId = click(stack, campaign, "a1", "s" + i % 10);
      long sent = System.nanoTime();
      clicks++;
      await(stack, campaign, clicks, conversions);
      clickLag.add((System.nanoTime() - sent) / 1_000_000);
      postback(stack, campaign, clickId, "T" + i);
      sent = System.nanoTime();
      conversions++;
      await(stack, campaign, clicks, conversions);
      conversionLag.add((System.nanoTime() - sent) / 1_000_000);
    }
    System.out.printf("aggregation lag, click to report: p50 %d ms, p99 %d ms (%d samples)%n", pct(clickLag, 50),
        pct(clickLag, 99), samples);
    System.out.printf("aggregation lag, conversion to report (from the postback's 200): p50 %d ms, p99 %d ms%n",
        pct(conversionLag, 50), pct(conversionLag, 99));

    String burst = campaign + "-burst";
    stack.putCampaign(burst, "{\"landing_url\":\"https://example.com/?cid={click_id}\",\"postback_token\":"
        + "\"bench-token\",\"affiliates\":{\"a1\":{},\"a2\":{}}}");
    ExecutorService pool = Executors.newFixedThreadPool(stack.concurrency);
    List<Future<String>> sentClicks = new ArrayList<>();
    int clickEvents = events * 4 / 5;
    for (int i = 0; i < clickEvents; i++) {
      String affiliate = i % 2 == 0 ? "a1" : "a2";
      String sub = "s" + i % 10;
      sentClicks.add(pool.submit(() -> click(stack, burst, affiliate, sub)));
    }
    List<Future<Integer>> sentPostbacks = new ArrayList<>();
    for (int i = 0; i < events - clickEvents; i++) {
      String clickId = sentClicks.get(i).get();
      String txid = "B" + i;
      sentPostbacks.add(pool.submit(() -> postback(stack, burst, clickId, txid)));
    }
    for (Future<Integer> f : sentPostbacks) {
      f.get();
    }
    pool.shutdownNow();
    await(stack, burst, clickEvents, events - clickEvents);
    if (stack.options.get("dynamodb").isEmpty()) {
      System.out.println("stats writes: pass --dynamodb <the DynamoDB endpoint the stack printed> to count them");
      return;
    }
    long writes = writes(stack.options.get("dynamodb"), burst);
    System.out.printf("stats writes: %d for %d events (%d clicks, %d conversions) = %.0f per 1,000 events"
        + " (BatchSize 100, MaximumBatchingWindowInSeconds 1)%n", writes, events, clickEvents, events - clickEvents,
        writes * 1000.0 / events);
  }

  private static String click(BenchStack stack, String campaign, String affiliate, String sub) throws Exception {
    HttpResponse<String> r = stack.http.send(HttpRequest.newBuilder(URI.create(stack.base
        + "/click?format=json&campaign_id=" + campaign + "&affiliate_id=" + affiliate + "&sub1=" + sub)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("click_id").asText();
  }

  private static int postback(BenchStack stack, String campaign, String clickId, String txid) throws Exception {
    return stack.http.send(HttpRequest.newBuilder(URI.create(stack.base + "/postback?campaign_id=" + campaign
        + "&click_id=" + clickId + "&event=sale&txid=" + txid + "&amount=10&payout=1&token=bench-token")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Polls the campaign's report until it shows {@code clicks} and {@code conversions} (at most 120 s). */
  private static void await(BenchStack stack, String campaign, long clicks, long conversions) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    URI uri = URI.create(stack.base + "/admin/reports?campaign_id=" + campaign + "&from=" + today.minusDays(1)
        + "&to=" + today.plusDays(1));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = stack.http.send(HttpRequest.newBuilder(uri)
          .header("Authorization", "Bearer " + stack.options.get("token")).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode totals = JSON.readTree(r.body()).path("totals");
      if (totals.path("clicks").asLong() >= clicks && totals.path("conversions").asLong() >= conversions) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the report of " + campaign + " did not reach " + clicks + " clicks and "
        + conversions + " conversions in 120 s");
  }

  /** The stats writes of {@code campaign}'s items today and yesterday (UTC), summed from their counters. */
  private static long writes(String endpoint, String campaign) {
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
      long writes = 0;
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      for (LocalDate day : List.of(today.minusDays(1), today)) {
        for (String pk : List.of("h#" + campaign + "#" + day, "s#" + campaign + "#" + day)) {
          for (Map<String, AttributeValue> item : dynamo.queryPaginator(b -> b.tableName("StatsTable")
              .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
              .items()) {
            writes += item.containsKey("writes") ? Long.parseLong(item.get("writes").n()) : 0;
          }
        }
        var dayItem = dynamo.getItem(b -> b.tableName("StatsTable").key(Map.of("pk", AttributeValue.fromS("d#" + day),
            "sk", AttributeValue.fromS(campaign))));
        if (dayItem.hasItem() && dayItem.item().containsKey("writes")) {
          writes += Long.parseLong(dayItem.item().get("writes").n());
        }
      }
      return writes;
    }
  }

  private static long pct(List<Long> values, int p) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
