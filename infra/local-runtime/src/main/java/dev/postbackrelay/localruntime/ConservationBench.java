package dev.postbackrelay.localruntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A conservation run under faults: it starts its own stack with the fault harness on
 * ({@code LOCAL_FAULTS=1}), sends postbacks (10% sent twice, 5% malformed, 2% for unknown clicks) from
 * several senders that retry every answer other than 200, to a campaign whose affiliate is a local
 * partner failing a fifth of its requests with 503, while the harness hangs DynamoDB and SQS a few
 * times for a few seconds and kills the consumer and the delivery function a few times each. Then it
 * waits for the stack to drain and prints the figures: what was sent and answered, what was
 * attributed ({@code GET /admin/conversions}) and forwarded (answered 200 at the partner), and what
 * was lost, counted twice or forwarded twice.
 *
 * <p>The hangs are under the click, postback and consumer functions, not the delivery function: a
 * delivery whose outcome write fails after the partner answered keeps its 60 s claim, and the local
 * poller's short retry visibility then brings it back until its queue's redrive dead-letters it (a
 * known local limitation). The delivery function is killed at its claim, before it calls the partner.
 *
 * <p>{@code java -cp infra/local-runtime/target/local-runtime.jar dev.postbackrelay.localruntime.ConservationBench
 * [--postbacks 50000] [--concurrency 16] [--hangs 3] [--kills 3] [--hang-seconds 3] [--fault-every 20]},
 * from the repository root. With {@code --soak-seconds 60 [--rate 40]} it soaks the stack instead,
 * without faults, at a steady rate (see {@link Soak}).
 */
public final class ConservationBench {

  private static final Pattern FAULTS = Pattern.compile("Faults\\s+(http://\\S+/faults)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CAMPAIGN = "conservation";
  private static final String TOKEN = "conservation-token";
  /** Sends of one postback at most, the first included: a sender retries every non-200 up to this. */
  private static final int MAX_SENDS = 6;
  private static final Duration DRAIN = Duration.ofSeconds(300);

  /** What a run does: postbacks, senders, faults of each kind and their spacing. */
  public record Settings(int postbacks, int concurrency, int hangsPerStore, int killsPerFunction, int hangSeconds,
      int faultEverySeconds) {}

  /**
   * The run's figures. {@code sent} counts requests (retries included), {@code ok}/{@code client}/
   * {@code server} their answers (a request without an answer counts as {@code server});
   * {@code distinct} postbacks, {@code accepted} the distinct ones that got a 200 at least once;
   * {@code attributed} distinct transaction ids among the campaign's conversions; {@code forwarded}
   * distinct transaction ids answered 200 at the partner; {@code lost} accepted but not attributed or
   * not forwarded; {@code doubleCounted} transaction ids with two conversions or more;
   * {@code doubleForwarded} ids the partner answered 200 under two Idempotency-Keys or more (a partner
   * that honours the key would act twice); {@code repeated} ids sent again with the same key after a
   * 200; {@code refusedButStored} ids answered 4xx only, or for a click never made, that were attributed or
   * forwarded (a postback for an unknown click may be answered 200 and rejected by the consumer).
   */
  public record Figures(long sent, long ok, long client, long server, int distinct, int accepted, int attributed,
      int forwarded, int lost, int doubleCounted, int doubleForwarded, int repeated, int refusedButStored,
      int faultsFired, double seconds) {

    /** One line per figure, as the bench prints them. */
    public String table() {
      return String.format("""
          sent                 %d requests (%d distinct postbacks)
          answered 200         %d
          answered 4xx         %d
          answered 5xx/none    %d
          accepted             %d distinct
          attributed           %d
          forwarded            %d distinct at the partner
          lost                 %d
          double-counted       %d
          double-forwarded     %d (same txid under two Idempotency-Keys)
          repeated             %d (sent again with the same Idempotency-Key)
          4xx/unknown stored   %d
          faults fired         %d
          time                 %.1f s""", sent, distinct, ok, client, server, accepted, attributed, forwarded, lost,
          doubleCounted, doubleForwarded, repeated, refusedButStored, faultsFired, seconds);
    }
  }

  // HTTP/1.1, as the gateway speaks it, with no h2c upgrade: in a 50,000-postback run on the default
  // (HTTP/2) client all 16 senders stayed parked in send() for 38 minutes, their 30 s time-outs never
  // firing, while the stack answered curl at once
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process stack;
  private String base;
  private String adminToken;
  private String faults;

  private ConservationBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("postbacks", "50000", "concurrency", "16", "hangs", "3",
        "kills", "3", "hang-seconds", "3", "fault-every", "20"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    if (o.containsKey("soak-seconds")) {
      Soak soak = soak(Path.of(""), Integer.parseInt(o.get("soak-seconds")), Integer.parseInt(o.getOrDefault("rate", "40")),
          Integer.parseInt(o.get("concurrency")));
      System.out.println(soak.table());
      System.exit(soak.passed() ? 0 : 1);
    }
    Figures figures = run(Path.of(""), new Settings(Integer.parseInt(o.get("postbacks")), Integer.parseInt(o.get("concurrency")),
        Integer.parseInt(o.get("hangs")), Integer.parseInt(o.get("kills")), Integer.parseInt(o.get("hang-seconds")),
        Integer.parseInt(o.get("fault-every"))));
    System.out.println(figures.table());
    System.exit(figures.lost() + figures.doubleCounted() + figures.doubleForwarded() + figures.refusedButStored() == 0
        ? 0 : 1);
  }

  /** Starts a stack from the artifacts built under {@code repoRoot}, runs {@code settings} against it, stops it. */
  public static Figures run(Path repoRoot, Settings settings) throws Exception {
    ConservationBench bench = new ConservationBench();
    try (Partner partner = new Partner(0.2)) {
      bench.start(repoRoot.toAbsolutePath().normalize());
      return bench.measure(settings, partner);
    } finally {
      bench.stop();
    }
  }

  /**
   * A soak's figures: postbacks sent at a steady {@code rate} for {@code seconds}, answered,
   * delivered; the backlog (messages on the queues that feed functions, plus postbacks accepted and
   * not yet delivered) sampled every 5 s; the time to drain once sending stopped; each process's
   * heap after a full GC before and after (KB).
   *
   * <p>It passes when every postback got a 200 and was delivered exactly once, the backlog never
   * grew past {@code rate} x 5 s of work and ended as low as it began (no growth: the last third
   * of samples averages at most the first third's plus one second of work), the stack drained within
   * 30 s, and no process's heap after GC grew by more than a quarter plus 16 MB.
   */
  public record Soak(int rate, int seconds, long sent, long ok, long failed, int delivered, int lost,
      int doubleForwarded, List<Integer> backlog, double drainSeconds, Map<String, Long> heapBefore,
      Map<String, Long> heapAfter) {

    public boolean passed() {
      int n = backlog.size();
      double first = backlog.subList(0, Math.max(1, n / 3)).stream().mapToInt(Integer::intValue).average().orElse(0);
      double last = backlog.subList(n - Math.max(1, n / 3), n).stream().mapToInt(Integer::intValue).average().orElse(0);
      boolean bounded = backlog.stream().allMatch(b -> b <= rate * 5) && last <= first + rate;
      boolean heaps = heapBefore.entrySet().stream().allMatch(e ->
          heapAfter.getOrDefault(e.getKey(), 0L) <= e.getValue() * 1.25 + 16 * 1024);
      return failed == 0 && lost == 0 && doubleForwarded == 0 && delivered == ok && bounded && drainSeconds <= 30
          && heaps;
    }

    public String table() {
      StringBuilder t = new StringBuilder(String.format("""
          soak                 %d postbacks/s for %d s
          sent                 %d
          answered 200         %d
          other answers        %d
          delivered            %d distinct at the partner
          lost                 %d
          double-forwarded     %d
          backlog every 5 s    %s
          drained after stop   %.1f s
          heap after GC (KB)   before -> after
          """, rate, seconds, sent, ok, failed, delivered, lost, doubleForwarded, backlog, drainSeconds));
      heapBefore.forEach((role, kb) -> t.append(String.format("  %-38s %7d -> %7d%n", role, kb,
          heapAfter.getOrDefault(role, -1L))));
      return t.append(passed() ? "PASSED" : "FAILED").toString();
    }
  }

  /** Starts a stack, soaks it at {@code rate} postbacks/s for {@code seconds} (no faults), stops it. */
  public static Soak soak(Path repoRoot, int seconds, int rate, int concurrency) throws Exception {
    ConservationBench bench = new ConservationBench();
    try (Partner partner = new Partner(0.0)) {
      bench.start(repoRoot.toAbsolutePath().normalize());
      return bench.soak(partner, seconds, rate, concurrency);
    } finally {
      bench.stop();
    }
  }

  private Soak soak(Partner partner, int seconds, int rate, int concurrency) throws Exception {
    putCampaign(partner);
    int count = seconds * rate;
    int warmUp = 200;
    List<String> clicks = clicks(count + warmUp, concurrency);
    Thread.sleep(1000); // the clicks' minimum age
    // a warm-up on clicks of its own (a second sale on a click is a repeat, rejected and never
    // delivered), so that "before" is a warm stack's heap, not a cold one's
    for (int i = 0; i < warmUp; i++) {
      status(postbackQuery(clicks.get(count + i), "W" + i));
    }
    drain(partner, List.of());
    Map<String, Long> before = StackProcesses.heapAfterGc(stack);
    progress("heap after GC before: %s", before);
    try (QueueDepth depth = new QueueDepth(output)) {
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      List<Integer> backlog = new CopyOnWriteArrayList<>();
      ExecutorService senders = Executors.newFixedThreadPool(concurrency);
      long t0 = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        long due = t0 + i * 1_000_000_000L / rate;
        String txid = "S" + i;
        String query = postbackQuery(clicks.get(i), txid);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        futures.add(senders.submit(() -> {
          if (status(query) == 200) {
            ok.incrementAndGet();
            accepted.add(txid);
          } else {
            failed.incrementAndGet();
          }
        }));
        if (i > 0 && i % (rate * 5) == 0) {
          int queued = depth.messages();
          int undelivered = (int) accepted.stream().filter(t -> !partner.delivered(t)).count();
          backlog.add(queued + undelivered);
          progress("%d s: %d sent, backlog %d (%d queued, %d accepted and not yet delivered)", i / rate, i,
              queued + undelivered, queued, undelivered);
        }
      }
      for (Future<?> f : futures) {
        f.get();
      }
      senders.shutdown();
      long stopped = System.nanoTime();
      drain(partner, List.copyOf(accepted));
      double drainSeconds = (partner.lastDeliveryNanos() - stopped) / 1e9;
      Map<String, Long> after = StackProcesses.heapAfterGc(stack);
      Map<String, Set<String>> keys = partner.keysByTxid();
      int lost = (int) accepted.stream().filter(t -> !keys.containsKey(t)).count();
      int twice = (int) keys.values().stream().filter(k -> k.size() > 1).count();
      int delivered = (int) keys.keySet().stream().filter(t -> t.startsWith("S")).count();
      return new Soak(rate, seconds, count, ok.get(), failed.get(), delivered, lost, twice, List.copyOf(backlog),
          Math.max(0, drainSeconds), before, after);
    }
  }

  private void putCampaign(Partner partner) throws Exception {
    admin("PUT", "/admin/campaigns/" + CAMPAIGN, """
        {"landing_url":"https://example.com/?cid={click_id}","postback_token":"%s","attribution_window_days":30,
         "affiliates":{"a1":{"postback_url":"http://127.0.0.1:%d/pb?c={click_id}&t={txid}"}}}
        """.formatted(TOKEN, partner.port()));
  }

  private static String postbackQuery(String click, String txid) {
    return "/postback?campaign_id=" + CAMPAIGN + "&click_id=" + URLEncoder.encode(click, StandardCharsets.UTF_8)
        + "&event=sale&txid=" + txid + "&payout=1&amount=10&currency=USD&token=" + TOKEN;
  }

  /** Messages on the queues that feed functions (visible, in flight, delayed), read from the stack's ElasticMQ. */
  private static final class QueueDepth implements AutoCloseable {

    private static final Pattern SQS = Pattern.compile("SQS\\s+(http://127\\.0\\.0\\.1:\\d+)/");
    private static final List<QueueAttributeName> COUNTS = List.of(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private final SqsClient sqs;
    private final List<String> queues;

    QueueDepth(List<String> stackOutput) {
      String endpoint = stackOutput.stream().map(SQS::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no SQS endpoint in the stack's summary"));
      sqs = SqsClient.builder().endpointOverride(URI.create(endpoint))
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create("test", "test")))
          .httpClient(UrlConnectionHttpClient.create()).build();
      queues = List.of("ConversionQueue", "DeliveryQueue").stream()
          .map(q -> sqs.getQueueUrl(b -> b.queueName(q)).queueUrl()).toList();
    }

    int messages() {
      int total = 0;
      for (String url : queues) {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(COUNTS)).attributes();
        total += COUNTS.stream().mapToInt(a -> Integer.parseInt(attributes.getOrDefault(a, "0"))).sum();
      }
      return total;
    }

    @Override
    public void close() {
      sqs.close();
    }
  }

  private Figures measure(Settings s, Partner partner) throws Exception {
    putCampaign(partner);
    long clicking = System.nanoTime();
    List<String> clicks = clicks(s.postbacks(), s.concurrency());
    progress("%d clicks in %.1f s", clicks.size(), (System.nanoTime() - clicking) / 1e9);
    Thread.sleep(1000); // the clicks' minimum age
    List<PlannedPostback> postbacks = new ArrayList<>();
    for (int i = 0; i < s.postbacks(); i++) {
      String txid = "T" + i;
      String click = clicks.get(i);
      if (i % 20 == 0) {
        click = "{clickid}"; // 5% malformed: a macro the sender never filled in
      } else if (i % 50 == 1) {
        click = click.substring(0, click.length() - 2) + (click.endsWith("AA") ? "BB" : "AA"); // 2% unknown
      }
      PlannedPostback p = new PlannedPostback(txid, i % 20 != 0 && i % 50 == 1, postbackQuery(click, txid));
      postbacks.add(p);
      if (i % 10 == 2) {
        postbacks.add(p); // 10% sent twice, by another sender
      }
    }
    Collections.shuffle(postbacks, new Random(14));

    AtomicLong ok = new AtomicLong();
    AtomicLong client = new AtomicLong();
    AtomicLong server = new AtomicLong();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Set<String> refused = ConcurrentHashMap.newKeySet();
    Set<String> unknown = new HashSet<>();
    postbacks.stream().filter(PlannedPostback::unknownClick).forEach(p -> unknown.add(p.txid()));
    AtomicBoolean sending = new AtomicBoolean(true);
    long t0 = System.nanoTime();
    Thread injector = new Thread(() -> inject(s, sending), "fault-injector");
    injector.setDaemon(true);
    injector.start();
    ExecutorService senders = Executors.newFixedThreadPool(s.concurrency());
    List<Future<?>> futures = new ArrayList<>();
    for (PlannedPostback p : postbacks) {
      futures.add(senders.submit(() -> {
        for (int attempt = 1; attempt <= MAX_SENDS; attempt++) {
          int status = status(p.query());
          if (status == 200) {
            ok.incrementAndGet();
            accepted.add(p.txid());
            return null;
          }
          if (status / 100 == 4) {
            client.incrementAndGet();
            refused.add(p.txid());
          } else {
            server.incrementAndGet();
          }
          Thread.sleep(Math.min(2000, 100L << attempt));
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    senders.shutdown();
    sending.set(false);
    progress("%d postbacks sent in %.1f s", postbacks.size(), (System.nanoTime() - t0) / 1e9);
    injector.join();
    drain(partner, accepted.stream().filter(t -> !unknown.contains(t)).toList());
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress("drained at %.1f s", seconds);
    int fired = fired();
    admin("DELETE", "/faults", null);

    Map<String, Integer> conversions = conversions();
    Map<String, Set<String>> keys = partner.keysByTxid();
    int lost = (int) accepted.stream().filter(t -> !unknown.contains(t))
        .filter(t -> !conversions.containsKey(t) || !keys.containsKey(t)).count();
    int doubleCounted = (int) conversions.values().stream().filter(n -> n > 1).count();
    int doubleForwarded = (int) keys.values().stream().filter(k -> k.size() > 1).count();
    Set<String> neverToStore = new HashSet<>(unknown);
    refused.stream().filter(t -> !accepted.contains(t)).forEach(neverToStore::add);
    int refusedButStored = (int) neverToStore.stream().filter(t -> conversions.containsKey(t) || keys.containsKey(t))
        .count();
    return new Figures(ok.get() + client.get() + server.get(), ok.get(), client.get(), server.get(), s.postbacks(),
        accepted.size(), conversions.size(), keys.size(), lost, doubleCounted, doubleForwarded, partner.repeated(),
        refusedButStored, fired, seconds);
  }

  /** The faults, one every {@code faultEverySeconds} while postbacks are being sent, in turn. */
  private void inject(Settings s, AtomicBoolean sending) {
    List<String> plan = new ArrayList<>();
    for (int i = 0; i < Math.max(s.hangsPerStore(), s.killsPerFunction()); i++) {
      if (i < s.hangsPerStore()) {
        plan.add(hang("dynamodb", s.hangSeconds()));
      }
      if (i < s.killsPerFunction()) {
        plan.add("{\"fault\":\"kill\",\"function\":\"ConversionConsumerFunction\",\"service\":\"sqs\","
            + "\"operation\":\"SendMessageBatch\",\"count\":1}");
      }
      if (i < s.hangsPerStore()) {
        plan.add(hang("sqs", s.hangSeconds()));
      }
      if (i < s.killsPerFunction()) {
        plan.add("{\"fault\":\"kill\",\"function\":\"DeliveryFunction\",\"service\":\"dynamodb\","
            + "\"operation\":\"UpdateItem\",\"count\":1}");
      }
    }
    try {
      for (String rules : plan) {
        Thread.sleep(s.faultEverySeconds() * 1000L);
        if (!sending.get()) {
          return;
        }
        admin("POST", "/faults", rules);
        progress("fault: %s", rules);
      }
    } catch (Exception e) {
      System.out.println("[conservation] fault injection stopped: " + e);
    }
  }

  private static void progress(String format, Object... args) {
    System.out.println("[conservation] " + String.format(format, args));
  }

  private static String hang(String service, int seconds) {
    List<String> rules = new ArrayList<>();
    for (String function : List.of("ClickFunction", "PostbackFunction", "ConversionConsumerFunction")) {
      rules.add("{\"fault\":\"hang\",\"function\":\"" + function + "\",\"service\":\"" + service + "\",\"seconds\":"
          + seconds + "}");
    }
    return "[" + String.join(",", rules) + "]";
  }

  /** Waits until every accepted postback was forwarded and a while longer with nothing new arriving. */
  private void drain(Partner partner, List<String> accepted) throws InterruptedException {
    long end = System.nanoTime() + DRAIN.toNanos();
    while (System.nanoTime() < end && !partner.keysByTxid().keySet().containsAll(accepted)) {
      Thread.sleep(200);
    }
    // late repeats (a killed delivery's message coming back) would arrive within a few visibility timeouts
    int before;
    do {
      before = partner.requests();
      Thread.sleep(5000);
    } while (partner.requests() != before && System.nanoTime() < end);
  }

  /** {@code count} clicks on the campaign, {@code concurrency} at a time: their click ids. */
  private List<String> clicks(int count, int concurrency) throws Exception {
    String[] ids = new String[count];
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      futures.add(pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < count; ) {
          HttpResponse<String> r = null;
          for (int attempt = 1; attempt <= MAX_SENDS && (r == null || r.statusCode() != 200); attempt++) {
            if (attempt > 1) {
              Thread.sleep(Math.min(2000, 100L << attempt)); // a loaded machine's store answers late at times
            }
            r = get("/click?format=json&campaign_id=" + CAMPAIGN + "&affiliate_id=a1");
          }
          if (r.statusCode() != 200) {
            throw new IllegalStateException("click: " + r.statusCode() + " " + r.body());
          }
          ids[i] = JSON.readTree(r.body()).path("click_id").asText();
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return List.of(ids);
  }

  /** Conversions of the campaign per transaction id, all pages of {@code GET /admin/conversions}. */
  private Map<String, Integer> conversions() throws Exception {
    Map<String, Integer> byTxid = new HashMap<>();
    String next = null;
    do {
      HttpResponse<String> page = admin("GET", "/admin/conversions?limit=500&campaign_id=" + CAMPAIGN
          + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), null);
      JsonNode body = JSON.readTree(page.body());
      body.path("items").forEach(c -> byTxid.merge(c.path("txid").asText(), 1, Integer::sum));
      next = body.path("next").isTextual() ? body.path("next").asText() : null;
    } while (next != null);
    return byTxid;
  }

  private int fired() throws Exception {
    int total = 0;
    for (JsonNode rule : JSON.readTree(admin("GET", "/faults", null).body()).path("rules")) {
      total += rule.path("fired").asInt();
    }
    return total;
  }

  // ---------------------------------------------------------------- the stack

  private void start(Path root) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    adminToken = "conservation-" + UUID.randomUUID();
    ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
        root.resolve("infra/local-runtime/target/local-runtime.jar").toString()).directory(root.toFile())
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PORT", Integer.toString(port));
    env.put("ADMIN_TOKEN", adminToken);
    env.put("LOCAL_FAULTS", "1");
    env.put("LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2");
    // a fifth of the partner's answers fail: nine attempts a second or two apart leave 0.2^9 to chance
    env.put("RELAY_DELIVERY_RETRY_SCHEDULE", "1s,1s,1s,2s,2s,2s,2s,2s");
    env.put("RELAY_LOCAL_STACK_FILE", Files.createTempDirectory("conservation-").resolve("stack.json").toString());
    stack = builder.start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stack.getInputStream(),
          StandardCharsets.UTF_8))) {
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
    long starting = System.nanoTime();
    if (!ready.await(180, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the stack did not start:\n" + String.join("\n", output));
    }
    progress("stack ready in %.1f s", (System.nanoTime() - starting) / 1e9);
    base = "http://127.0.0.1:" + port;
    for (String line : output) {
      Matcher m = FAULTS.matcher(line);
      if (m.find()) {
        faults = m.group(1);
      }
    }
    if (faults == null) {
      throw new IllegalStateException("no fault control endpoint in the summary:\n" + String.join("\n", output));
    }
  }

  private void stop() throws InterruptedException {
    if (stack != null) {
      List<ProcessHandle> tree = stack.descendants().toList();
      stack.destroy();
      if (!stack.waitFor(40, TimeUnit.SECONDS)) {
        stack.destroyForcibly();
      }
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The answer's status; 0 when there was none (a time-out, a reset). */
  private int status(String pathAndQuery) {
    try {
      return get(pathAndQuery).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /**
   * An admin call ({@code /faults...} goes to the fault control endpoint), sent again on a 503; fails
   * unless it ends with a 200.
   */
  private HttpResponse<String> admin(String method, String path, String json) throws Exception {
    String url = path.startsWith("/faults") ? faults + path.substring("/faults".length()) : base + path;
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    for (int attempt = 2; attempt <= MAX_SENDS && response.statusCode() == 503; attempt++) {
      Thread.sleep(1000); // a store still warming up, or paused by the harness; the calls are idempotent
      response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
    return response;
  }

  /** One postback: its transaction id, whether its click was never made, its query. */
  private record PlannedPostback(String txid, boolean unknownClick, String query) {}

  /**
   * A local affiliate that answers 503 to a random {@code failShare} of requests and 200 to the
   * others, and records, per transaction id, the Idempotency-Keys it answered 200.
   */
  private static final class Partner implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Set<String>> keysByTxid = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger repeated = new AtomicInteger();
    private final AtomicLong lastDelivery = new AtomicLong();

    Partner(double failShare) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        String query = exchange.getRequestURI().getRawQuery();
        String txid = query == null ? "" : query.replaceAll(".*t=([^&]*).*", "$1");
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (ThreadLocalRandom.current().nextDouble() < failShare) {
          exchange.sendResponseHeaders(503, -1);
        } else {
          if (!keysByTxid.computeIfAbsent(txid, t -> ConcurrentHashMap.newKeySet()).add(key == null ? "" : key)) {
            repeated.incrementAndGet();
          }
          lastDelivery.set(System.nanoTime());
          exchange.sendResponseHeaders(200, -1);
        }
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

    int requests() {
      return requests.get();
    }

    int repeated() {
      return repeated.get();
    }

    boolean delivered(String txid) {
      return keysByTxid.containsKey(txid);
    }

    /** When the partner last answered 200 ({@link System#nanoTime}). */
    long lastDeliveryNanos() {
      return lastDelivery.get();
    }

    Map<String, Set<String>> keysByTxid() {
      Map<String, Set<String>> copy = new LinkedHashMap<>();
      keysByTxid.forEach((t, k) -> copy.put(t, Set.copyOf(k)));
      return copy;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
