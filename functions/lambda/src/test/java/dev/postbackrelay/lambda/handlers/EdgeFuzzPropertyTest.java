package dev.postbackrelay.lambda.handlers;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.RateTable;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickService;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.lambda.LocalAwsResource;
import dev.postbackrelay.lambda.metrics.Metrics;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.lambda.queue.SqsConversionQueue;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import dev.postbackrelay.lambda.store.DynamoCampaignStore;
import dev.postbackrelay.lambda.store.DynamoClickStore;
import dev.postbackrelay.lambda.store.DynamoConversionStore;
import dev.postbackrelay.lambda.store.DynamoCustomerStore;
import dev.postbackrelay.lambda.store.DynamoPostbackLog;
import dev.postbackrelay.lambda.store.DynamoSignatureReplayStore;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.postback.PostbackService;
import dev.postbackrelay.testing.CampaignBuilder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Random names, values, percent-encodings and bodies (query string, form, JSON) through the real
 * {@code /click} and {@code /postback} handlers, wired as {@code Wiring} wires them, against
 * DynamoDB Local and ElasticMQ. Whatever arrives: never a 5xx; a stored click holds only names and
 * values the edge's own rules accept; a queued postback reads back unchanged, holds only values the
 * validator accepts, and goes through attribution (the consumer's DynamoDB writes) without failing.
 */
class EdgeFuzzPropertyTest {

  private static final String TOKEN = "fuzz-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KNOWN = List.of("click_id", "clickid", "cid", "campaign_id", "affiliate_id", "ref_id",
      "token", "key", "event", "txid", "order_id", "amount", "sum", "payout", "commission", "currency", "conversion_rate",
      "status", "sale_status", "customer_id", "new_customer", "return", "format", "sub1", "sub10", "fbclid", "utm_source",
      "ts", "sig");
  private static final List<String> ODD_NAMES = List.of("", " ", "\u0001", "\u0000", "a\u0000b", "\u007f", "\u0085",
      "\t", "\u212Aey", "\u017Fig", "CLICK_ID", " Token ", "\uD800", "\uDC00x", "\uFFFF", "\uFEFFtoken", "=", "&", "%",
      "a".repeat(65), "\u00DF", "\u0130d", "sub\u0661");
  private static final List<String> NUMBERS = List.of("1e2147483648", "-1e-2147483649", "1E+400", "0.000000001",
      "123456789012345678901234567890", "-0", "0", "50.00", "1.5e2", "1e999", "9".repeat(999), "0.1", "1e-7", "12,50",
      "\u0661\u0662", "NaN", "Infinity", "+5", ".5", "5.", "1e", "0x10", "1_000", "00012.3400");

  private static ClickHandler clickHandler;
  private static PostbackHandler postbackHandler;
  private static ClickService clickService;
  private static DynamoClickStore clicks;
  private static AttributionService attribution;
  private static ClickIds clickIds;
  private static SqsClient sqs;
  private static DynamoDbClient dynamo;
  private static String queueUrl;

  @BeforeContainer
  static void wire() {
    LocalAws aws = LocalAws.shared();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    dynamo = DynamoDbClient.builder().endpointOverride(URI.create(aws.dynamoEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    sqs = SqsClient.builder().endpointOverride(URI.create(aws.sqsEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    queueUrl = sqs.createQueue(b -> b.queueName("EdgeFuzzConversionQueue")).queueUrl();
    Clock clock = Clock.systemUTC();
    var campaigns = new DynamoCampaignStore(dynamo, "CampaignsTable", Duration.ofMinutes(5), clock);
    campaigns.put(CampaignBuilder.campaign("fuzz").landing("https://shop.example.com/lp?cid={click_id}&s1={sub1}")
        .token(TOKEN).affiliate("a1", (String) null).build());
    clicks = new DynamoClickStore(dynamo, "TrackingTable");
    var conversions = new DynamoConversionStore(dynamo, "TrackingTable");
    clickIds = new ClickIds(List.of(LocalAwsResource.CLICK_ID_KEY));
    clickService = new ClickService(campaigns, clicks, clickIds, clock);
    clickHandler = new ClickHandler();
    clickHandler.clicks = clickService;
    postbackHandler = new PostbackHandler();
    postbackHandler.postbacks = new PostbackService(campaigns, clicks, conversions, clickIds,
        new SqsConversionQueue(sqs, queueUrl), new DynamoSignatureReplayStore(dynamo, "TrackingTable"), new PostbackIds(), clock);
    postbackHandler.metrics = new Metrics(new PrintStream(OutputStream.nullOutputStream()), clock, "fuzz");
    attribution = new AttributionService(clicks, campaigns, conversions, new DynamoCustomerStore(dynamo, "TrackingTable", clock),
        new DynamoPostbackLog(dynamo, "TrackingTable"),
        new SqsDeliveryQueue(sqs, aws.queueUrl("DeliveryQueue"), aws.queueUrl("DeliveryDeadLetterQueue"), clock),
        RateTable.parse("EUR=0.92"), clock);
  }

  @AfterContainer
  static void close() {
    if (sqs != null) {
      sqs.deleteQueue(b -> b.queueUrl(queueUrl));
      sqs.close();
      dynamo.close();
    }
  }

  /** One request's parameters before encoding: what a sender meant to send. */
  record Pair(String name, String value, int encoding) {}

  @Property(tries = 120, shrinking = ShrinkingMode.BOUNDED)
  void click_neverAnswers5xx_andStoresOnlyWhatTheRulesAccept(@ForAll("clickPairs") List<Pair> pairs,
      @ForAll boolean json) {
    String query = "campaign_id=fuzz&affiliate_id=a1" + (json ? "&format=json" : "") + "&" + queryString(pairs);
    APIGatewayV2HTTPResponse response = clickHandler.handleRequest(event("GET", "/click", query, null, null, false), null);

    int status = response.getStatusCode();
    assertTrue(status < 500, query + " -> " + response.getBody());
    if (status >= 400) {
      assertError(response, query);
      return;
    }
    String clickId = status == 302
        ? URI.create(response.getHeaders().get("location")).getRawQuery().replaceAll("^cid=([0-9a-z]+).*$", "$1")
        : readJson(response.getBody()).path("click_id").asText();
    assertTrue(clickIds.verify(clickId), response.toString());
    Click click = clicks.find(clickId).orElseThrow();
    assertStorable(click.subs(), 10);
    assertStorable(click.platformIds(), 5);
    assertStorable(click.extra(), 40);
  }

  @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
  void postback_neverAnswers5xx_andQueuesOnlyWhatTheValidatorAccepts(@ForAll("postbackPairs") List<Pair> pairs,
      @ForAll("forms") String form, @ForAll("garbage") String trailing) {
    String clickId = clickService.register(new dev.postbackrelay.click.ClickRequest(
        Params.of(Map.of("campaign_id", "fuzz", "affiliate_id", "a1")), "203.0.113.9", "UA", null, null)).clickId();
    List<Pair> all = new ArrayList<>();
    all.add(new Pair("click_id", clickId, 0));
    all.add(new Pair("token", TOKEN, 0));
    all.addAll(pairs);
    APIGatewayV2HTTPEvent event = switch (form) {
      case "query" -> event("GET", "/postback", queryString(all), null, null, false);
      case "form" -> event("POST", "/postback", null, "application/x-www-form-urlencoded",
          Base64.getEncoder().encodeToString(queryString(all).getBytes(StandardCharsets.UTF_8)), true);
      default -> event("POST", "/postback", null, "application/json", jsonBody(all) + trailing, false);
    };
    String sent = form + ": " + (event.getRawQueryString() != null ? event.getRawQueryString() : event.getBody());

    APIGatewayV2HTTPResponse response = postbackHandler.handleRequest(event, null);

    int status = response.getStatusCode();
    assertTrue(status < 500, sent + " -> " + response.getBody());
    if (status >= 400) {
      assertError(response, sent);
      assertTrue(receiveAll().isEmpty(), "nothing queued for a refused postback: " + sent);
      return;
    }
    assertEquals(200, status, sent);
    List<String> bodies = receiveAll();
    assertEquals(1, bodies.size(), sent);
    Postback queued = assertDoesNotThrow(() -> PostbackJson.read(bodies.get(0)), "the queued message reads back");
    assertEquals(readJson(bodies.get(0)), readJson(PostbackJson.write(queued)), "and reads back unchanged");
    assertEquals(response.getHeaders().get("x-postback-id"), queued.postbackId());
    assertValid(queued);
    assertDoesNotThrow(() -> attribution.attributeAll(List.of(queued)), "the consumer's writes take it: " + sent);
  }

  private static void assertValid(Postback p) {
    assertStorable(p.extra(), 40);
    assertTrue(p.event().matches("[a-z0-9_.:-]{1,64}"), p.event());
    for (String key : new String[] {p.txid(), p.customerId()}) {
      assertTrue(key == null || key.length() <= 128 && key.chars().noneMatch(Character::isISOControl), key);
    }
    for (BigDecimal d : new BigDecimal[] {p.amount(), p.payout(), p.conversionRate()}) {
      if (d != null) {
        assertTrue(d.signum() >= 0 && d.precision() - d.scale() <= 15 && d.scale() <= 8, d.toString());
        assertDoesNotThrow(() -> d.multiply(new BigDecimal("1e15")).setScale(4, RoundingMode.HALF_UP));
      }
    }
    assertTrue(p.currency() == null || p.currency().matches("[A-Z]{3}"), p.currency());
  }

  /** Every name is already in its normalised form and passes the name rules; every value is storable text. */
  private static void assertStorable(Map<String, String> map, int maxEntries) {
    assertTrue(map.size() <= maxEntries, map.toString());
    map.forEach((name, value) -> {
      assertEquals(name, Params.name(name), "a stored name is normalised and valid");
      assertTrue(name.length() <= 64, name);
      assertTrue(Params.wellFormed(value) && value.length() <= 512, "storable value for " + name);
    });
  }

  private static void assertError(APIGatewayV2HTTPResponse response, String sent) {
    JsonNode body = readJson(response.getBody());
    assertFalse(body.path("error").asText().isEmpty(), sent + " -> " + response.getBody());
    assertTrue(body.path("message").asText().length() > 10, sent + " -> " + response.getBody());
  }

  private static List<String> receiveAll() {
    List<String> bodies = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
      for (var m : messages) {
        bodies.add(m.body());
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
      if (!bodies.isEmpty() && messages.isEmpty()) {
        break;
      }
    }
    return bodies;
  }

  // -- requests

  private static APIGatewayV2HTTPEvent event(String method, String path, String query, String contentType, String body,
      boolean base64) {
    Map<String, String> headers = new HashMap<>();
    headers.put("user-agent", "fuzz/1.0");
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(method + " " + path).withRawPath(path)
        .withRawQueryString(query == null ? "" : query).withHeaders(headers).withBody(body).withIsBase64Encoded(base64)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("fuzz")
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                .withSourceIp("198.51.100.9").build())
            .build())
        .build();
  }

  /** Each pair percent-encoded its own way: properly, raw, every byte escaped, or with a broken escape. */
  private static String queryString(List<Pair> pairs) {
    List<String> parts = new ArrayList<>();
    for (Pair p : pairs) {
      parts.add(encode(p.name(), p.encoding()) + "=" + encode(p.value(), p.encoding()));
    }
    return String.join("&", parts);
  }

  private static String encode(String s, int encoding) {
    return switch (encoding % 4) {
      case 0 -> URLEncoder.encode(s, StandardCharsets.UTF_8);
      case 1 -> s;
      case 2 -> {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(String.format("%02X", b & 0xff));
        }
        yield out.toString();
      }
      default -> URLEncoder.encode(s, StandardCharsets.UTF_8) + (encoding % 8 == 3 ? "%" : "%C3%28");
    };
  }

  /** A JSON object of the pairs; each value a string, or (by its encoding) a raw number, array or literal. */
  private static String jsonBody(List<Pair> pairs) {
    StringBuilder out = new StringBuilder("{");
    for (Pair p : pairs) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(quote(p.name())).append(':');
      switch (p.encoding() % 5) {
        case 1 -> out.append(p.value().matches("[-+0-9.eE]+") ? p.value() : quote(p.value()));
        case 2 -> out.append('[').append(quote(p.value())).append(",1e2147483648,{\"x\":null}]");
        case 3 -> out.append(p.encoding() % 2 == 0 ? "true" : "null");
        default -> out.append(quote(p.value()));
      }
    }
    return out.append('}').toString();
  }

  /** A JSON string literal; lone surrogates become {@code \\uXXXX} escapes, as a sender's library writes them. */
  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  // -- generators

  @Provide
  Arbitrary<List<Pair>> clickPairs() {
    return pairs(Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(KNOWN)), Tuple.of(3, Arbitraries.of(ODD_NAMES)),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(12))));
  }

  @Provide
  Arbitrary<List<Pair>> postbackPairs() {
    return clickPairs();
  }

  @Provide
  Arbitrary<String> forms() {
    return Arbitraries.of("query", "form", "json");
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.frequency(Tuple.of(8, ""), Tuple.of(1, " x"), Tuple.of(1, "{}"), Tuple.of(1, "]"),
        Tuple.of(1, "\n"));
  }

  private static Arbitrary<List<Pair>> pairs(Arbitrary<String> names) {
    Arbitrary<String> values = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().all().ofMaxLength(20)),
        Tuple.of(3, Arbitraries.of(NUMBERS)),
        Tuple.of(2, Arbitraries.of("sale", "lead", "approved", "EUR", "usd", "1", "yes", "{clickid}", "%7Bx%7D", "")),
        Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMinLength(500).ofMaxLength(700)),
        Tuple.of(1, Arbitraries.strings().withChars("\uD83D\uDE00\uD800\uDC00\uFFFF\u212A").ofMinLength(510).ofMaxLength(514)));
    return Combinators.combine(names, values, Arbitraries.integers().between(0, 39)).as(Pair::new).list().ofMaxSize(8);
  }
}
