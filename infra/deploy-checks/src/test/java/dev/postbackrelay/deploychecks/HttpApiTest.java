package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HttpApiTest {

  static final Set<String> PUBLIC_ROUTES = Set.of("GET /click", "GET /postback", "POST /postback");
  static final Set<String> ADMIN_ROUTES = Set.of("GET /admin/campaigns", "GET /admin/campaigns/{campaign_id}",
      "PUT /admin/campaigns/{campaign_id}", "GET /admin/postbacks", "GET /admin/postbacks/{postback_id}",
      "GET /admin/clicks", "GET /admin/conversions", "GET /admin/deliveries",
      "POST /admin/deliveries/{delivery_id}/retry", "GET /admin/clicks/{click_id}",
      "POST /admin/deliveries/replay", "GET /admin/campaigns/{campaign_id}/postback-urls",
      "POST /admin/postbacks/dry-run", "GET /admin/reports");

  final Template template = Template.get();

  @Test
  void everyRouteThrottlesByDefault() {
    Map<String, Object> defaults = Template.map(template.properties("HttpApi").get("DefaultRouteSettings"));
    assertTrue(defaults.containsKey("ThrottlingRateLimit"), "DefaultRouteSettings.ThrottlingRateLimit");
    assertTrue(defaults.containsKey("ThrottlingBurstLimit"), "DefaultRouteSettings.ThrottlingBurstLimit");
  }

  @Test
  void theApiServesExactlyThePublicAndAdminRoutes() {
    Set<String> routes = template.routes().stream().map(Template.Route::key).collect(Collectors.toSet());
    Set<String> expected = new HashSet<>(PUBLIC_ROUTES);
    expected.addAll(ADMIN_ROUTES);
    assertEquals(expected, routes);
    template.routes().forEach(r -> assertEquals(Map.of("Ref", "HttpApi"),
        template.events(r.function(), "HttpApi").get(r.event()).get("ApiId"), r.key()));
  }

  @Test
  void adminRoutesDemandSignedIamRequests() {
    assertEquals(Boolean.TRUE, Template.map(template.properties("HttpApi").get("Auth")).get("EnableIamAuthorizer"));
    template.routes().stream().filter(r -> ADMIN_ROUTES.contains(r.key()))
        .forEach(r -> assertEquals("AWS_IAM", r.authorizer(), r.key()));
  }

  @Test
  void clickAndPostbackRoutesAreOpenToTheInternet() {
    template.routes().stream().filter(r -> PUBLIC_ROUTES.contains(r.key()))
        .forEach(r -> assertNull(r.authorizer(), r.key()));
  }
}
