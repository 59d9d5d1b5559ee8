package dev.postbackrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;

/**
 * The requests {@code relay --stack} sends carry a SigV4 signature API Gateway accepts: a local
 * server re-signs what it received (method, path, query, the signed headers, the body) with the
 * SDK's own signer, at the request's own time, and compares. No AWS account is involved.
 */
class SigV4SigningTest {

  private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private HttpServer server;
  private final List<String> verdicts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startVerifyingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::verify);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void getAndPostRequests_withQueryAndBody_areSignedAsTheSdkSigns() throws Exception {
    AdminClient client = client(KEYS);

    client.send("GET", "/admin/postbacks?campaign_id=c%201&from=2026-12-01T00%3A00%3A00Z&limit=7", null);
    client.send("POST", "/admin/postbacks/dry-run", "{\"url\":\"https://x.example/postback?click_id=a&b=c d\"}");
    client.send("PUT", "/admin/campaigns/c1", "{\"landing_url\":\"https://shop.example/lp\"}");

    assertEquals(List.of("valid", "valid", "valid"), verdicts);
  }

  @Test
  void aSignatureMadeWithAnotherSecret_doesNotVerify() throws Exception {
    AdminClient client = client(AwsBasicCredentials.create("AKIDEXAMPLE", "another-secret"));

    RelayException refused = assertThrows(RelayException.class,
        () -> client.send("GET", "/admin/campaigns", null));

    assertEquals(List.of("invalid"), verdicts, "the verifier really checks");
    assertEquals(RelayException.UNAUTHORIZED, refused.exitCode());
    assertTrue(refused.getMessage().contains("execute-api:Invoke"), refused.getMessage());
  }

  private AdminClient client(AwsBasicCredentials credentials) {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new AdminClient(new Target(base, new Target.Auth.SigV4(Region.EU_WEST_1,
        StaticCredentialsProvider.create(credentials)), "the verifying server"));
  }

  /** Signs the received request again with the SDK's signer at its own X-Amz-Date, and compares. */
  private void verify(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String sent = exchange.getRequestHeaders().getFirst("Authorization");
    String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    Set<String> signedHeaders = Set.of(sent.replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";"));
    URI uri = URI.create("http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI());
    SdkHttpRequest.Builder received = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
        .uri(uri);
    exchange.getRequestHeaders().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (signedHeaders.contains(lower) && !lower.equals("host") && !lower.equals("x-amz-date")) {
        values.forEach(v -> received.appendHeader(lower, v));
      }
    });
    Instant at = AMZ_DATE.parse(amzDate, Instant::from);
    String expected = AwsV4HttpSigner.create().sign(r -> r.identity(KEYS).request(received.build())
        .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
        .request().firstMatchingHeader("Authorization").orElseThrow();
    boolean valid = expected.equals(sent);
    verdicts.add(valid ? "valid" : "invalid");
    byte[] answer = (valid ? "{\"items\":[],\"next\":null}" : "{\"message\":\"The request signature we calculated does not"
        + " match the signature you provided.\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().put("content-type", List.of("application/json"));
    exchange.sendResponseHeaders(valid ? 200 : 403, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }
}
