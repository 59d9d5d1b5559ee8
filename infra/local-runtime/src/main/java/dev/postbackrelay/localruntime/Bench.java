package dev.postbackrelay.localruntime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load of {@code GET /click} through a running local stack, printing requests per
 * second and latency percentiles. It first creates campaign {@code bench} with the admin token.
 *
 * <p>{@code java -cp infra/local-runtime/target/local-runtime.jar dev.postbackrelay.localruntime.Bench
 * [--url http://127.0.0.1:3000] --token ADMIN_TOKEN [--seconds 10] [--concurrency 4]}
 */
public final class Bench {

  private static final long MAX_REQUESTS = 500_000;

  private Bench() {}

  public static void main(String[] args) throws Exception {
    BenchStack stack = new BenchStack(args, Map.of("seconds", "10"));
    stack.putCampaign("bench", "{\"landing_url\":\"https://example.com/?cid={click_id}\","
        + "\"postback_token\":\"bench-token\",\"attribution_window_days\":30,\"affiliates\":{\"a1\":"
        + "{\"postback_url\":\"http://127.0.0.1:9/pb?c={click_id}\"}}}");
    HttpRequest click = HttpRequest.newBuilder(URI.create(stack.base + "/click?campaign_id=bench&affiliate_id=a1&sub1=s"))
        .timeout(Duration.ofSeconds(30)).build();
    int concurrency = stack.concurrency;
    run(stack.http, click, concurrency, Duration.ofSeconds(2));
    Result result = run(stack.http, click, concurrency, Duration.ofSeconds(stack.intOption("seconds")));
    List<Long> latencies = result.latenciesMicros();
    Collections.sort(latencies);
    System.out.printf("GET /click: %d requests in %.1f s with %d connections: %.0f requests/s; %d not 302%n",
        latencies.size(), result.elapsedSeconds(), concurrency, latencies.size() / result.elapsedSeconds(),
        result.errors());
    System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", percentile(latencies, 50),
        percentile(latencies, 90), percentile(latencies, 99), percentile(latencies, 100));
  }

  private static Result run(HttpClient http, HttpRequest request, int concurrency, Duration duration) throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    AtomicLong errors = new AtomicLong();
    AtomicLong total = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    long started = System.nanoTime();
    List<Future<List<Long>>> futures = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      futures.add(workers.submit(() -> {
        List<Long> latencies = new ArrayList<>();
        while (System.nanoTime() < end && total.incrementAndGet() <= MAX_REQUESTS) {
          long t0 = System.nanoTime();
          HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
          latencies.add((System.nanoTime() - t0) / 1000);
          if (response.statusCode() != 302) {
            errors.incrementAndGet();
          }
        }
        return latencies;
      }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> f : futures) {
      all.addAll(f.get());
    }
    workers.shutdown();
    return new Result(all, errors.get(), (System.nanoTime() - started) / 1e9);
  }

  private static double percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1000.0;
  }

  private record Result(List<Long> latenciesMicros, long errors, double elapsedSeconds) {}
}
