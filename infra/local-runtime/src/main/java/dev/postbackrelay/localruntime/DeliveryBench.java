package dev.postbackrelay.localruntime;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded end-to-end load of conversions through a running local stack, with one destination
 * down: half the conversions belong to an affiliate whose postback URL refuses connections, half
 * to one whose URL is a real local HTTP server. Prints how fast postbacks are accepted and how
 * fast the healthy affiliate receives its deliveries while the other keeps failing.
 *
 * <p>{@code java -cp infra/local-runtime/target/local-runtime.jar dev.postbackrelay.localruntime.DeliveryBench
 * [--url http://127.0.0.1:3000] --token ADMIN_TOKEN [--conversions 200] [--concurrency 4]}
 */
public final class DeliveryBench {

  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    BenchStack stack = new BenchStack(args, Map.of("conversions", "200"));
    String base = stack.base;
    int conversions = Math.min(5_000, stack.intOption("conversions"));
    int concurrency = stack.concurrency;
    HttpClient http = stack.http;

    AtomicInteger received = new AtomicInteger();
    HttpServer partner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    partner.createContext("/", exchange -> {
      received.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    partner.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "partner");
      t.setDaemon(true);
      return t;
    }));
    partner.start();
    String campaign = "dbench-" + System.currentTimeMillis();
    String body = "{\"landing_url\":\"https://example.com/?cid={click_id}\",\"postback_token\":\"bench-token\","
        + "\"affiliates\":{\"up\":{\"postback_url\":\"http://127.0.0.1:" + partner.getAddress().getPort()
        + "/pb?c={click_id}\"},\"down\":{\"postback_url\":\"http://127.0.0.1:9/pb?c={click_id}\"}}}";
    stack.putCampaign(campaign, body);

    List<String> clicks = new ArrayList<>();
    for (int i = 0; i < conversions; i++) {
      String affiliate = i % 2 == 0 ? "up" : "down";
      HttpResponse<String> click = http.send(HttpRequest.newBuilder(URI.create(base + "/click?format=json&campaign_id="
          + campaign + "&affiliate_id=" + affiliate)).build(), HttpResponse.BodyHandlers.ofString());
      clicks.add(click.body().replaceAll(".*\"click_id\":\"([^\"]+)\".*", "$1"));
    }
    Thread.sleep(1000); // past the campaign's default minimum click age of 0 s, and the clock's resolution
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<Integer>> sent = new ArrayList<>();
    for (String clickId : clicks) {
      sent.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/postback?campaign_id=" + campaign
          + "&click_id=" + clickId + "&event=sale&txid=T-" + clickId + "&payout=1&token=bench-token")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()));
    }
    int accepted = 0;
    for (Future<Integer> f : sent) {
      accepted += f.get() == 200 ? 1 : 0;
    }
    double acceptSeconds = (System.nanoTime() - start) / 1e9;
    int expected = (conversions + 1) / 2;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (received.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double deliverSeconds = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    System.out.printf("postbacks: %d accepted of %d in %.1f s (%.0f/s, %d connections)%n", accepted, conversions,
        acceptSeconds, accepted / acceptSeconds, concurrency);
    System.out.printf("healthy affiliate: %d of %d deliveries in %.1f s from the first postback (%.0f deliveries/s),"
        + " while the other affiliate's %d deliveries kept failing%n", received.get(), expected, deliverSeconds,
        received.get() / deliverSeconds, conversions - expected);
    System.exit(0); // the partner server's threads would keep the JVM up
  }
}
