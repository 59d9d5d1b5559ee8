package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.lambda.admin.CampaignJson;
import dev.postbackrelay.net.OutboundGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

/**
 * Random campaign bodies (random shapes, numbers of every form, huge and odd strings, URLs with
 * macros and ports anywhere) through the real admin handler against DynamoDB Local: never a 5xx,
 * and whatever is stored passes the validator when read back. Generated with jqwik's arbitraries
 * sampled from a fixed seed (the QuarkusTest extension runs on the JUnit Jupiter engine, not on
 * jqwik's, so the arbitraries are sampled rather than driven by {@code @Property}), a bounded number of
 * tries; the failing body and the seed are in the assertion message.
 */
@QuarkusTest
@TestProfile(Profiles.Admin.class)
public class AdminCampaignPropertyTest {

  private static final long SEED = Long.getLong("admin.property.seed", 20251202L);
  private static final int TRIES = Integer.getInteger("admin.property.tries", 250);

  @Inject
  CampaignStore campaigns;
  @Inject
  OutboundGuard guard;

  private static final Arbitrary<String> NUMBERS = Arbitraries.oneOf(
      Arbitraries.of("0", "-0", "1", "-1", "30", "3650", "3651", "1e2", "1E2", "1.0", "1.5", "0.00000001", "1e-9",
          "1e2147483648", "-1e2147483648", "1e-2147483648", "1e400", "-1e400", "1e10000000", "9223372036854775807",
          "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "2147483648",
          "0.1e1", "100.000000001", "99.99999999999999999"),
      Arbitraries.longs().map(l -> Long.toString(l)),
      Arbitraries.bigDecimals().ofScale(12).map(java.math.BigDecimal::toString));

  private static final Arbitrary<String> URLS = Arbitraries.of(
      "https://shop.example.com/lp?cid={click_id}", "https://{sub1}/lp", "https://{campaign_id}.shop.example/x",
      "https://shop.example.com:{sub1}/", "https://shop.example.com:0/", "https://shop.example.com:65536/",
      "https://shop.example.com:99999999999/", "http{sub1}://x.example/", "https://u:p@x.example/",
      "javascript:alert(1)", "http://169.254.169.254/latest", "http://[::1]/", "https://partner.example/pb?c={click_id}",
      "https://partner.example/{sub1}/pb", "https://x.example/" + "a".repeat(3000), "", " ", "https://",
      "https://x.example/\u0000", "https://xn--caf-dma.example/{txid}");

  private static final Arbitrary<String> STRINGS = Arbitraries.oneOf(
      Arbitraries.strings().ofMaxLength(40),
      Arbitraries.strings().withChars("ab{}%&?#/ \t\u0000\u2028é").ofMaxLength(30),
      Arbitraries.of("        ", "s3cret-token", "********", "none", "required", "authenticated", "always", "never",
          "fixed", "percent", "postback", "meta_capi", "google_ads", "tiktok", "active", "paused", "click_id", "USD",
          "approved", "created", "10.0.0.0/8", "0.0.0.0/0", "not-a-cidr", "whsec_0123456789abcdef"),
      Arbitraries.integers().between(1000, 20000).map(n -> "x".repeat(n)),
      URLS);

  private static final List<String> FIELDS = List.of("landing_url", "postback_token", "status",
      "attribution_window_days", "min_click_age_seconds", "currency", "allow_repeat_sales", "transaction_id_means",
      "ip_allowlist", "signing_secret", "status_map", "payouts", "affiliates", "destinations", "postback_auth",
      "postback_payout", "unknown_field");

  private static String quoted(String s) {
    return Events.JSON.valueToTree(s).toString();
  }

  private static String value(Random r, int depth) {
    int kind = r.nextInt(depth > 2 ? 4 : 7);
    return switch (kind) {
      case 0 -> NUMBERS.sample();
      case 1 -> quoted(STRINGS.sample());
      case 2 -> r.nextBoolean() ? "true" : "false";
      case 3 -> r.nextInt(4) == 0 ? "null" : quoted(NUMBERS.sample());
      case 4 -> {
        List<String> items = new ArrayList<>();
        for (int i = r.nextInt(r.nextInt(10) == 0 ? 400 : 4); i > 0; i--) {
          items.add(value(r, depth + 1));
        }
        yield "[" + String.join(",", items) + "]";
      }
      default -> object(r, depth + 1, Arbitraries.of("type", "value", "id", "url", "postback_url", "method", "settings",
          "token_url", "access_token", "client_secret", "signing_secret", "url_encode", "events", "a1", "sale", "*",
          "pixel_id", "format", "fire_on", "statuses").sample(), r.nextInt(r.nextInt(10) == 0 ? 300 : 5));
    };
  }

  private static String object(Random r, int depth, String firstName, int size) {
    List<String> members = new ArrayList<>();
    members.add(quoted(firstName) + ":" + value(r, depth));
    for (int i = 0; i < size; i++) {
      String name = r.nextInt(3) == 0 ? STRINGS.sample() : "k" + i;
      members.add(quoted(name) + ":" + value(r, depth));
    }
    return "{" + String.join(",", members) + "}";
  }

  /** A body near a valid campaign, with some fields replaced by anything at all. */
  private static String body(Random r) {
    List<String> members = new ArrayList<>();
    members.add("\"landing_url\":" + (r.nextInt(4) == 0 ? value(r, 1) : quoted(URLS.sample())));
    if (r.nextInt(4) != 0) {
      members.add("\"postback_token\":\"s3cret-token\"");
    }
    members.add("\"affiliates\":" + (r.nextInt(4) == 0 ? value(r, 1)
        : "{\"a1\":{\"postback_url\":" + quoted(URLS.sample()) + "}}"));
    if (r.nextInt(3) == 0) {
      members.add("\"destinations\":[{\"id\":\"d1\",\"type\":" + quoted(STRINGS.sample())
          + ",\"url\":" + quoted(URLS.sample()) + ",\"settings\":" + value(r, 2) + "}]");
    }
    if (r.nextInt(3) == 0) {
      members.add("\"payouts\":{\"sale\":{\"type\":" + (r.nextBoolean() ? "\"fixed\"" : "\"percent\"") + ",\"value\":"
          + (r.nextBoolean() ? NUMBERS.sample() : quoted(NUMBERS.sample()))
          + "}}");
    }
    for (int i = r.nextInt(5); i > 0; i--) {
      String field = FIELDS.get(r.nextInt(FIELDS.size()));
      members.add(quoted(field) + ":" + value(r, 1));
    }
    java.util.Collections.shuffle(members, r);
    return "{" + String.join(",", members) + "}";
  }

  @Test
  void randomCampaignBodies_neverAnswer5xx_andWhatIsStoredPassesTheValidator() {
    net.jqwik.engine.SourceOfRandomness.create(Long.toString(SEED)); // the arbitraries' draws, on this thread
    Random random = new Random(SEED);
    for (int i = 0; i < TRIES; i++) {
      String campaignId = "prop-" + SEED + "-" + i;
      String body = body(random);
      JsonNode response = AdminCampaignRulesTest.put(campaignId, body);
      int status = response.path("statusCode").asInt();
      String context = "seed " + SEED + " try " + i + " body " + abbreviate(body) + " -> " + abbreviate(response.toString());

      assertTrue(status == 200 || status >= 400 && status < 500, context);
      if (status == 200) {
        Campaign stored = campaigns.find(campaignId).orElseThrow(() -> new AssertionError("200 but nothing stored: " + context));
        assertDoesNotThrow(() -> CampaignRules.validate(stored, guard, DestinationTypes.BUILT_IN), context);
        assertTrue(CampaignJson.write(stored).length() <= 64 * 1024, context);
      } else {
        String error = Events.body(response).path("error").asText();
        assertTrue(!error.isEmpty(), "a 4xx has a reason code: " + context);
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 600 ? s : s.substring(0, 600) + "...(" + s.length() + " chars)";
  }
}
