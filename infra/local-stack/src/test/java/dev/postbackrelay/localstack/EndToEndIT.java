package dev.postbackrelay.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product as a user runs it: {@code java -jar infra/local-stack/target/local-stack.jar} from
 * the repository root, driven over HTTP, with a real HTTP server standing in for the affiliate
 * that receives forwarded postbacks. Skipped until the function artifact is built.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

  private static final String ADMIN_TOKEN = "e2e-admin-token";
  private static final String POSTBACK_TOKEN = "s3cret-token";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> OUTPUT = new CopyOnWriteArrayList<>();
  private static final ConcurrentLinkedQueue<URI> PARTNER_REQUESTS = new ConcurrentLinkedQueue<>();

  private static Process stack;
  private static HttpServer partner;
  private static String base;

  @BeforeAll
  static void startStack() throws Exception {
    Path repo = Path.of(System.getProperty("localstack.repo-root", "../..")).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(repo.resolve("functions/lambda/target/function.zip")),
        "needs functions/lambda/target/function.zip (mvn -DskipTests package)");
    Path jar = repo.resolve("infra/local-stack/target/local-stack.jar");
    assumeTrue(Files.isRegularFile(jar), "needs " + jar);

    partner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    partner.createContext("/", exchange -> {
      PARTNER_REQUESTS.add(exchange.getRequestURI());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    partner.start();

    int port = freePort();
    base = "http://127.0.0.1:" + port;
    ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", jar.toString())
        .directory(repo.toFile()).redirectErrorStream(true);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("ADMIN_TOKEN", ADMIN_TOKEN);
    builder.environment().put("LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2");
    stack = builder.start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stack.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          OUTPUT.add(line);
          System.out.println("[stack] " + line);
          if (line.startsWith("LOCAL STACK READY ")) {
            ready.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the stack is gone
      }
      ready.completeExceptionally(new IllegalStateException("the stack exited before READY"));
    }, "stack-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    HttpResponse<String> put = send("PUT", "/admin/campaigns/c1", """
        {"landing_url":"https://example.com/lp?cid={click_id}&s1={sub1}","postback_token":"%s",
         "attribution_window_days":30,
         "affiliates":{"a1":{"postback_url":"http://127.0.0.1:%d/pb?click={click_id}&event={event}&payout={payout}&sub1={sub1}&txid={txid}"}}}
        """.formatted(POSTBACK_TOKEN, partner.getAddress().getPort()));
    assertEquals(200, put.statusCode(), put.body());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null && stack.isAlive()) {
      stack.destroyForcibly();
      stack.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    if (partner != null) {
      partner.stop(0);
    }
  }

  @Test
  @Order(1)
  void duplicatePostbacks_areAccepted_andForwardedToTheAffiliateExactlyOnce() throws Exception {
    String clickId = click();
    String postback = "/postback?click_id=" + clickId
        + "&event=sale&txid=T1&amount=10&payout=2.5&currency=USD&token=" + POSTBACK_TOKEN;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> accepted = send("GET", postback, null);
      assertEquals(200, accepted.statusCode(), accepted.body());
      JsonNode body = JSON.readTree(accepted.body());
      assertEquals("accepted", body.get("status").asText());
      assertTrue(body.hasNonNull("postback_id"));
    }

    awaitPartnerRequests(1, Duration.ofSeconds(20));
    Thread.sleep(5_000);
    assertEquals(1, PARTNER_REQUESTS.size(), "forwarded once: " + PARTNER_REQUESTS);
    Map<String, String> query = query(PARTNER_REQUESTS.peek());
    assertEquals("/pb", PARTNER_REQUESTS.peek().getPath());
    assertEquals(clickId, query.get("click"));
    assertEquals("sale", query.get("event"));
    assertEquals("2.50", query.get("payout"), "money goes out with at least two decimals");
    assertEquals("abc", query.get("sub1"));
    assertEquals("T1", query.get("txid"));
  }

  @Test
  @Order(2)
  void wrongPostbackToken_isForbidden() throws Exception {
    HttpResponse<String> response = send("GET", "/postback?click_id=" + click()
        + "&event=sale&txid=T2&amount=1&payout=1&currency=USD&token=wrong-token", null);
    assertEquals(403, response.statusCode(), response.body());
    assertEquals("bad_token", JSON.readTree(response.body()).get("error").asText());
  }

  @Test
  @Order(3)
  void missingClickId_isABadRequest() throws Exception {
    HttpResponse<String> response = send("GET", "/postback?event=sale&txid=T3&token=" + POSTBACK_TOKEN, null);
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("missing_click_id", JSON.readTree(response.body()).get("error").asText());
  }

  @Test
  @Order(4)
  void unknownRoute_isTheGatewaysJsonNotFound() throws Exception {
    HttpResponse<String> response = send("GET", "/no-such-route", null);
    assertEquals(404, response.statusCode());
    assertEquals("not_found", JSON.readTree(response.body()).get("error").asText());
  }

  @Test
  @Order(5)
  void sigterm_stopsTheStack_andLeavesNoChildProcess() throws Exception {
    List<ProcessHandle> children = stack.descendants().toList();
    assertTrue(children.size() >= 2, "local-aws and the function runtimes run as children: " + children);
    stack.destroy();
    assertTrue(stack.waitFor(30, TimeUnit.SECONDS), "the stack stops on SIGTERM");
    for (ProcessHandle child : children) {
      child.onExit().get(10, TimeUnit.SECONDS);
      assertTrue(!child.isAlive(), "child " + child.pid() + " is gone");
    }
  }

  private static String click() throws Exception {
    HttpResponse<String> redirect = send("GET", "/click?campaign_id=c1&affiliate_id=a1&sub1=abc", null);
    assertEquals(302, redirect.statusCode(), redirect.body());
    URI location = URI.create(redirect.headers().firstValue("location").orElseThrow());
    String clickId = query(location).get("cid");
    assertTrue(clickId != null && !clickId.isBlank(), "click id in " + location);
    return clickId;
  }

  private static HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (pathAndQuery.startsWith("/admin/")) {
      request.header("Authorization", "Bearer " + ADMIN_TOKEN);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  private static void awaitPartnerRequests(int count, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (PARTNER_REQUESTS.size() < count && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertTrue(PARTNER_REQUESTS.size() >= count, "the affiliate received " + PARTNER_REQUESTS.size()
        + " request(s) within " + timeout + "; stack output:\n" + String.join("\n", OUTPUT));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }
}
