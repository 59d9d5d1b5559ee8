package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The local stack stopped with SIGTERM (what Ctrl-C does) while postbacks are queued, then
 * restarted on the same {@code --db-path}: on stacks of its own.
 */
class RestartSurvivalIT {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final int POSTBACKS = 60;
  private static final String CAMPAIGN = "restart";

  /**
   * Expected: every postback answered 200 before the SIGTERM, sent while the partner refuses every
   * delivery so that they all wait on the queues, is attributed once and delivered (answered 2xx by
   * the partner) exactly once, with one Idempotency-Key, after a restart on the same
   * {@code --db-path}; postbacks sent during the stop get no 200 or are kept as well; the stack says
   * where its data lives at start and at stop.
   */
  @Test
  void postbacksQueuedAtSigterm_areAttributedAndDeliveredExactlyOnce_afterARestart() throws Exception {
    Path dbPath = Files.createTempDirectory("restart-db-");
    Map<String, String> env = Map.of("CLICK_ID_KEYS", StackSettings.randomKey(),
        "LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2",
        "RELAY_DELIVERY_RETRY_SCHEDULE", "2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s");
    List<String> args = List.of("--db-path", dbPath.toString());
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Map<String, Integer> queuedAtStop;
    try (ScriptedPartner partner = ScriptedPartner.start().answer(ScriptedPartner.Answer.FAIL)) {
      String firstOutput;
      try (RunningStack stack = RunningStack.start("restart-admin-token", env, READY_TIMEOUT, args)) {
        StackTraffic.putCampaign(stack, CAMPAIGN, partner.url("/pb"), null);
        List<String> clicks = new ArrayList<>();
        for (int i = 0; i < POSTBACKS; i++) {
          clicks.add(StackTraffic.click(stack, CAMPAIGN));
        }
        AtomicInteger answered = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<?>> sent = new ArrayList<>();
        for (String click : clicks) {
          sent.add(senders.submit(() -> {
            try {
              HttpResponse<String> r = stack.send("GET", StackTraffic.postback(click, "T-" + click.hashCode()), null,
                  null);
              if (r.statusCode() == 200) {
                accepted.add(click);
              }
            } catch (Exception refusedWhileStopping) {
              // not answered 200: the sender would retry
            }
            answered.incrementAndGet();
          }));
        }
        while (answered.get() < POSTBACKS * 2 / 3) {
          Thread.sleep(10);
        }
        queuedAtStop = stack.queuedMessages();
        stack.close(); // SIGTERM while the last third is being sent
        senders.shutdown();
        assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));
        firstOutput = stack.output();
      }
      assertTrue(firstOutput.contains("Data         kept in " + dbPath.toAbsolutePath()), firstOutput);
      assertTrue(firstOutput.contains("stopped; data kept in"), firstOutput);
      int queued = queuedAtStop.values().stream().mapToInt(Integer::intValue).sum();
      System.out.println("[restart] accepted " + accepted.size() + " of " + POSTBACKS + "; queued at the stop "
          + queuedAtStop + "; partner attempts before the stop " + partner.received().size());
      assertTrue(accepted.size() >= POSTBACKS * 2 / 3 - 8, "most postbacks were answered 200: " + accepted.size());
      assertTrue(queued >= accepted.size() / 2, "many were still queued at the stop: " + queuedAtStop);
      assertTrue(partner.deliveriesByClick().isEmpty(), "nothing was delivered before the stop");

      partner.answer(ScriptedPartner.Answer.OK);
      try (RunningStack stack = RunningStack.start("restart-admin-token", env, READY_TIMEOUT, args)) {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!partner.deliveriesByClick().keySet().containsAll(accepted) && System.nanoTime() < end) {
          Thread.sleep(200);
        }
        stack.awaitIdle(Duration.ofSeconds(60));
        Map<String, Long> delivered = partner.deliveriesByClick();
        Set<String> missing = accepted.stream().filter(c -> !delivered.containsKey(c)).collect(Collectors.toSet());
        assertEquals(Set.of(), missing, "every postback answered 200 is delivered after the restart");
        assertEquals(Map.of(), delivered.entrySet().stream().filter(e -> e.getValue() != 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "none is delivered twice");
        Map<String, Long> keys = partner.deliveriesByKey();
        assertEquals(delivered.size(), keys.size(), "one Idempotency-Key per delivery");
        List<JsonNode> conversions = StackTraffic.conversions(stack, CAMPAIGN);
        Set<String> attributed = conversions.stream().map(c -> c.path("click_id").asText()).collect(Collectors.toSet());
        assertEquals(conversions.size(), attributed.size(), "each click counted once");
        assertTrue(attributed.containsAll(accepted), "every accepted postback is attributed");
        assertEquals(attributed, delivered.keySet(), "exactly the attributed postbacks are delivered");
        System.out.println("[restart] after the restart: attributed " + attributed.size() + ", delivered "
            + delivered.size() + ", double-delivered 0, lost 0");
      }
    }
  }
}
