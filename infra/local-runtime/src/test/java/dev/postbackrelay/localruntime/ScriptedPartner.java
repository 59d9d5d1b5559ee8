package dev.postbackrelay.localruntime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * A partner on loopback that receives forwarded postbacks and answers as the test scripts it:
 * {@link Answer#OK} (200), {@link Answer#FAIL} (503), {@link Answer#RESET} (the connection closed
 * without an answer) or {@link Answer#HOLD} (no answer for 30 s), for every request or for a share
 * of them. It records every request with its click id, {@code Idempotency-Key} and what it answered,
 * so a test can count deliveries (requests answered 2xx) per key.
 */
final class ScriptedPartner implements AutoCloseable {

  /** How the partner answers a request. */
  enum Answer { OK, FAIL, RESET, HOLD }

  /** One request the partner received: the {@code click} query parameter, its Idempotency-Key, the answer. */
  record Received(String clickId, String idempotencyKey, Answer answer, long atMillis) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private volatile Answer answer = Answer.OK;
  private volatile double share = 1.0;
  private volatile Runnable beforeAnswering = () -> { };

  private ScriptedPartner(HttpServer server) {
    this.server = server;
  }

  static ScriptedPartner start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    ScriptedPartner partner = new ScriptedPartner(server);
    server.createContext("/", partner::handle);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "partner-" + server.getAddress().getPort());
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return partner;
  }

  /** From now on answers {@code answer} to every request. */
  ScriptedPartner answer(Answer answer) {
    return answer(answer, 1.0);
  }

  /** From now on answers {@code answer} to a random {@code share} of requests and 200 to the others. */
  ScriptedPartner answer(Answer answer, double share) {
    this.share = share;
    this.answer = answer;
    return this;
  }

  /**
   * Runs {@code action} on each request after recording it and before answering (a test uses it to
   * have the harness kill the caller right after the answer it is about to get).
   */
  ScriptedPartner beforeAnswering(Runnable action) {
    this.beforeAnswering = action;
    return this;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** A destination URL of this partner, with the click id as {@code click}. */
  String url(String path) {
    return "http://127.0.0.1:" + port() + path + "?click={click_id}&event={event}&txid={txid}";
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Requests answered 200 (deliveries), per Idempotency-Key. */
  Map<String, Long> deliveriesByKey() {
    return received.stream().filter(r -> r.answer() == Answer.OK)
        .collect(Collectors.groupingBy(Received::idempotencyKey, Collectors.counting()));
  }

  /** Requests answered 200 (deliveries), per click id. */
  Map<String, Long> deliveriesByClick() {
    return received.stream().filter(r -> r.answer() == Answer.OK)
        .collect(Collectors.groupingBy(Received::clickId, Collectors.counting()));
  }

  /** Any request (attempt) per click id. */
  Map<String, Long> attemptsByClick() {
    return received.stream().collect(Collectors.groupingBy(Received::clickId, Collectors.counting()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    Answer now = ThreadLocalRandom.current().nextDouble() < share ? answer : Answer.OK;
    String click = AffiliateServer.query(exchange.getRequestURI().getRawQuery()).getOrDefault("click", "");
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    received.add(new Received(click, key == null ? "" : key, now, System.currentTimeMillis()));
    beforeAnswering.run();
    switch (now) {
      case OK -> exchange.sendResponseHeaders(200, -1);
      case FAIL -> exchange.sendResponseHeaders(503, -1);
      case HOLD -> sleep(30_000);
      case RESET -> {
        // no answer at all: the connection just ends
      }
      default -> throw new IllegalStateException(now.name());
    }
    exchange.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops at once: held requests end with their connection. */
  @Override
  public void close() {
    server.stop(0);
  }
}
