package dev.postbackrelay.localruntime;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local stack's performance in one bounded run, one table: clicks/s and accepted postbacks/s at
 * 1, 8 and 32 connections beside the stand-ins' own ceilings measured in the same run by a bare SDK
 * client ({@code PutItem} at 32 against DynamoDB Local, {@code SendMessage} at 32 against ElasticMQ);
 * end-to-end conversions/s (accepted, attributed and delivered to a local partner); CPU per click
 * and per conversion split by process (user + system time from {@code /proc}); and a conservation
 * run (postbacks with duplicates and malformed ones: lost, counted twice, forwarded twice).
 *
 * <p>It starts its own stack from the built artifacts, on free loopback ports, and stops it.
 * {@code java -cp infra/local-runtime/target/local-runtime.jar dev.postbackrelay.localruntime.PerfBench
 * [--seconds 5] [--conservation 2000]}, from the repository root.
 */
public final class PerfBench {

  private static final Pattern DYNAMO = Pattern.compile("DynamoDB\\s+(http://\\S+)");
  private static final Pattern SQS = Pattern.compile("SQS\\s+(http://127\\.0\\.0\\.1:\\d+)/");
  private static final int[] CONCURRENCY = {1, 8, 32};
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<String> table = new ArrayList<>();
  private String base;
  private String token;
  private Process stack;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private PerfBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of("seconds", "5", "conservation", "2000"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    PerfBench bench = new PerfBench();
    try {
      bench.run(Integer.parseInt(options.get("seconds")), Integer.parseInt(options.get("conservation")));
    } finally {
      bench.stop();
    }
    System.exit(0);
  }

  private void run(int seconds, int conservation) throws Exception {
    start();
    String dynamoUrl = find(DYNAMO);
    String sqsUrl = find(SQS);
    Partner partner = new Partner();
    String campaign = "perf";
    put("/admin/campaigns/" + campaign, "{\"landing_url\":\"https://example.com/?cid={click_id}\","
        + "\"postback_token\":\"perf-token\",\"affiliates\":{\"a1\":{\"postback_url\":\"http://127.0.0.1:"
        + partner.port() + "/pb?c={click_id}&t={txid}\"}}}");

    row("what", "C=1", "C=8", "C=32", "note");
    double putCeiling = ceilingPutItem(dynamoUrl, seconds);
    double sendCeiling = ceilingSendMessage(sqsUrl, seconds);
    row("ceiling: bare PutItem/s (DynamoDB Local)", "", "", f0(putCeiling), "the stand-in alone, same run");
    row("ceiling: bare SendMessage/s (ElasticMQ)", "", "", f0(sendCeiling), "the stand-in alone, same run");

    List<String> clickIds = new CopyOnWriteArrayList<>();
    double[] clicks = new double[3];
    Map<String, Long> clickCpu = null;
    long clicksAtC32 = 0;
    for (int i = 0; i < CONCURRENCY.length; i++) {
      Map<String, Long> before = cpuByProcess();
      Load load = load(CONCURRENCY[i], seconds, n -> {
        HttpResponse<String> r = send("GET", "/click?format=json&campaign_id=" + campaign + "&affiliate_id=a1&sub1=s", null);
        if (r.statusCode() == 200 && clickIds.size() < 200_000) {
          clickIds.add(r.body().replaceAll(".*\"click_id\":\"([^\"]+)\".*", "$1"));
        }
        return r.statusCode() == 200;
      });
      clicks[i] = load.perSecond();
      if (CONCURRENCY[i] == 32) {
        clickCpu = delta(before, cpuByProcess());
        clicksAtC32 = load.ok();
      }
    }
    row("GET /click per s", f0(clicks[0]), f0(clicks[1]), f0(clicks[2]),
        String.format("C=32: %.2fx the PutItem ceiling", clicks[2] / putCeiling));

    Thread.sleep(1000); // the clicks' minimum age, and the clock's second
    AtomicInteger next = new AtomicInteger();
    AtomicLong acceptedAll = new AtomicLong(); // warm-ups included: they convert too
    double[] postbacks = new double[3];
    long e2eStart = System.nanoTime();
    Map<String, Long> e2eBefore = cpuByProcess();
    int deliveredBefore = partner.count();
    for (int i = 0; i < CONCURRENCY.length; i++) {
      Load load = load(CONCURRENCY[i], seconds, n -> {
        int k = next.getAndIncrement();
        String clickId = clickIds.get(k % clickIds.size());
        boolean ok = send("GET", "/postback?campaign_id=" + campaign + "&click_id=" + clickId + "&event=sale&txid=P" + k
            + "&payout=1&token=perf-token", null).statusCode() == 200;
        if (ok && k < clickIds.size()) {
          acceptedAll.incrementAndGet(); // a click's first sale; a later one for the same click is a repeat
        }
        return ok;
      });
      postbacks[i] = load.perSecond();
    }
    row("GET /postback accepted per s", f0(postbacks[0]), f0(postbacks[1]), f0(postbacks[2]),
        String.format("C=32: %.2fx the SendMessage ceiling", postbacks[2] / sendCeiling));
    // each accepted postback's click is distinct per txid only: a click converts once per event unless
    // repeats are allowed, so only the first sale per click is attributed and delivered
    long expected = acceptedAll.get();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (partner.count() - deliveredBefore < expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double e2eSeconds = (System.nanoTime() - e2eStart) / 1e9;
    int delivered = partner.count() - deliveredBefore;
    Map<String, Long> e2eCpu = delta(e2eBefore, cpuByProcess());
    row("end to end: conversions delivered per s", "", "", f0(delivered / e2eSeconds), String.format(
        "%d of %d delivered in %.1f s; %.2fx the accepted rate at C=32", delivered, expected, e2eSeconds,
        delivered / e2eSeconds / postbacks[2]));

    Map<String, String> cpu = new TreeMap<>();
    long clicksCount = clicksAtC32;
    clickCpu.forEach((process, ticks) -> cpu.merge(process, String.format("%.2f ms/click", ms(ticks) / clicksCount),
        (a, b) -> a));
    e2eCpu.forEach((process, ticks) -> cpu.merge(process, String.format("%.2f ms/conversion", ms(ticks)
        / Math.max(1, delivered)), (a, b) -> a + ", " + b));
    cpu.forEach((process, figures) -> row("CPU " + process, "", "", "", figures));

    coldStarts(campaign, clickIds.get(0));
    conservation(campaign, clickIds, partner, conservation);
    table.forEach(System.out::println);
  }

  /**
   * Cold start of each HTTP function under the runtime interface client: its one execution
   * environment killed, the next request waits for the replacement, which the pool starts at once;
   * that request's latency is the process start, the init and the first answer. Median of 5.
   */
  private void coldStarts(String campaign, String clickId) throws Exception {
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("ClickFunction", "/click?campaign_id=" + campaign + "&affiliate_id=a1");
    requests.put("PostbackFunction", "/postback?campaign_id=" + campaign + "&click_id=" + clickId
        + "&event=cold&txid=K&token=perf-token");
    requests.put("AdminFunction", "/admin/campaigns/" + campaign);
    for (Map.Entry<String, String> r : requests.entrySet()) {
      List<Long> ms = new ArrayList<>();
      for (int run = 0; run < 5; run++) {
        ProcessHandle environment = stack.descendants().filter(p -> StackProcesses.role(p).equals("function " + r.getKey()))
            .findFirst().orElse(null);
        if (environment == null) {
          break;
        }
        environment.destroyForcibly();
        environment.onExit().get(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        int status = send("GET", r.getValue(), null).statusCode();
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        if (status < 500) {
          ms.add(elapsed);
        }
        Thread.sleep(500); // the new environment settles before the next kill
      }
      Collections.sort(ms);
      row("cold start " + r.getKey() + " (ms, median of " + ms.size() + ")", "", "",
          ms.isEmpty() ? "-" : Long.toString(ms.get(ms.size() / 2)), "kill, then one request: start, init, answer");
    }
  }

  /** Postbacks with 10% sent twice and 5% malformed, 8 at a time: every accepted one delivered exactly once. */
  private void conservation(String campaign, List<String> clickIds, Partner partner, int count) throws Exception {
    Map<String, Integer> before = partner.byKey();
    // fresh clicks: each converts once
    List<String> fresh = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r = send("GET", "/click?format=json&campaign_id=" + campaign + "&affiliate_id=a1", null);
      fresh.add(r.body().replaceAll(".*\"click_id\":\"([^\"]+)\".*", "$1"));
    }
    Thread.sleep(1000);
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String clickId = i % 20 == 0 ? "%7Bclickid%7D" : fresh.get(i); // 5% malformed: an unsubstituted macro
      String q = "/postback?campaign_id=" + campaign + "&click_id=" + clickId + "&event=sale&txid=C" + i
          + "&payout=1&token=perf-token";
      requests.add(q);
      if (i % 10 == 1) {
        requests.add(q); // 10% sent twice, as a network retrying
      }
    }
    Collections.shuffle(requests, new Random(7));
    AtomicLong ok = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong other = new AtomicLong();
    Set<String> acceptedTxids = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (String q : requests) {
      futures.add(pool.submit(() -> {
        int status = send("GET", q, null).statusCode();
        if (status == 200) {
          ok.incrementAndGet();
          acceptedTxids.add(q.replaceAll(".*txid=(C\\d+).*", "$1"));
        } else if (status / 100 == 4) {
          refused.incrementAndGet();
        } else {
          other.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    Map<String, Integer> delivered = Map.of();
    while (System.nanoTime() < deadline) {
      delivered = partner.byKeySince(before);
      if (delivered.size() >= acceptedTxids.size()) {
        Thread.sleep(3000); // a late duplicate would show now
        delivered = partner.byKeySince(before);
        break;
      }
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long twice = delivered.values().stream().filter(n -> n > 1).count();
    Map<String, Integer> received = delivered;
    long lost = acceptedTxids.stream().filter(t -> !received.containsKey(t)).count();
    row("conservation", "", "", "", String.format("%d sent (%d distinct), %d answered 200, %d 4xx, %d other; "
        + "%d distinct accepted, %d delivered, %d lost, %d forwarded twice, in %.1f s", requests.size(), count,
        ok.get(), refused.get(), other.get(), acceptedTxids.size(), delivered.size(), lost, twice, seconds));
  }

  // ---------------------------------------------------------------- measuring

  private record Load(long ok, long failed, double seconds) {
    double perSecond() {
      return ok / seconds;
    }
  }

  private interface Call {
    boolean call(int n) throws Exception;
  }

  /** {@code concurrency} callers for {@code seconds} (after one second of warm-up). */
  private static Load load(int concurrency, int seconds, Call call) throws Exception {
    run(concurrency, 1, call);
    return run(concurrency, seconds, call);
  }

  private static Load run(int concurrency, int seconds, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicInteger n = new AtomicInteger();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    long t0 = System.nanoTime();
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      pool.submit(() -> {
        try {
          while (System.nanoTime() < end) {
            if (call.call(n.getAndIncrement())) {
              ok.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          }
        } catch (Exception e) {
          failed.incrementAndGet();
        } finally {
          done.countDown();
        }
        return null;
      });
    }
    done.await();
    pool.shutdown();
    return new Load(ok.get(), failed.get(), (System.nanoTime() - t0) / 1e9);
  }

  private double ceilingPutItem(String endpoint, int seconds) throws Exception {
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String run = UUID.randomUUID().toString();
      return load(32, seconds, n -> {
        dynamo.putItem(b -> b.tableName("TrackingTable").item(Map.of("pk", AttributeValue.fromS("perf#" + run + "#" + n),
            "sk", AttributeValue.fromS("x"), "v", AttributeValue.fromS("0123456789abcdef0123456789abcdef"))));
        return true;
      }).perSecond();
    }
  }

  private double ceilingSendMessage(String endpoint, int seconds) throws Exception {
    try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String url = sqs.createQueue(b -> b.queueName("perf-ceiling-" + System.nanoTime())).queueUrl();
      return load(32, seconds, n -> {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"postback_id\":\"" + n + "\",\"padding\":\"0123456789\"}"));
        return true;
      }).perSecond();
    }
  }

  /** User + system CPU ticks of the stack and each child, named by role. */
  private Map<String, Long> cpuByProcess() {
    Map<String, Long> ticks = new TreeMap<>();
    ticks.merge("local stack (gateway, pollers)", ticks(stack.pid()), Long::sum);
    stack.descendants().forEach(p -> ticks.merge(StackProcesses.role(p), ticks(p.pid()), Long::sum));
    return ticks;
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
    return d;
  }

  private static double ms(long ticks) {
    return ticks * 1000.0 / TICKS_PER_SECOND;
  }

  // ---------------------------------------------------------------- the stack and the partner

  private void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    token = "perf-" + UUID.randomUUID();
    ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
        "infra/local-runtime/target/local-runtime.jar").redirectErrorStream(true);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("ADMIN_TOKEN", token);
    builder.environment().put("RELAY_LOCAL_STACK_FILE", Files.createTempDirectory("perf-").resolve("stack.json").toString());
    stack = builder.start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stack.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.add(line);
          if (line.startsWith("LOCAL STACK READY")) {
            ready.countDown();
          }
        }
      } catch (IOException ignored) {
        // the stack is gone
      }
    }, "stack-output");
    reader.setDaemon(true);
    reader.start();
    if (!ready.await(180, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the stack did not start:\n" + String.join("\n", output));
    }
    base = "http://127.0.0.1:" + port;
  }

  private void stop() throws InterruptedException {
    if (stack != null) {
      stack.destroy();
      stack.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private String find(Pattern p) {
    for (String line : output) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new IllegalStateException("not in the stack's summary: " + p);
  }

  private HttpResponse<String> send(String method, String pathAndQuery, String body) throws IOException,
      InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (pathAndQuery.startsWith("/admin/")) {
      r.header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void put(String path, String json) throws Exception {
    HttpResponse<String> r = send("PUT", path, json);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("PUT " + path + ": " + r.statusCode() + " " + r.body());
    }
  }

  /** A local affiliate: counts what it receives, by transaction id. */
  private static final class Partner {

    private final HttpServer server;
    private final Map<String, AtomicInteger> byTxid = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    Partner() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        String query = exchange.getRequestURI().getRawQuery();
        String txid = query == null ? "" : query.replaceAll(".*t=([^&]*).*", "$1");
        byTxid.computeIfAbsent(txid, k -> new AtomicInteger()).incrementAndGet();
        count.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.setExecutor(Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "partner");
        t.setDaemon(true);
        return t;
      }));
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    int count() {
      return count.get();
    }

    Map<String, Integer> byKey() {
      Map<String, Integer> snapshot = new LinkedHashMap<>();
      byTxid.forEach((k, v) -> snapshot.put(k, v.get()));
      return snapshot;
    }

    /** Transaction ids received since {@code before}, with how many times each. */
    Map<String, Integer> byKeySince(Map<String, Integer> before) {
      Map<String, Integer> since = new LinkedHashMap<>();
      byTxid.forEach((k, v) -> {
        int n = v.get() - before.getOrDefault(k, 0);
        if (n > 0) {
          since.put(k, n);
        }
      });
      return since;
    }
  }

  // ---------------------------------------------------------------- the table

  private void row(String what, String c1, String c8, String c32, String note) {
    table.add(String.format("%-44s %9s %9s %9s  %s", what, c1, c8, c32, note));
  }

  private static String f0(double v) {
    return String.format("%.0f", v);
  }
}
