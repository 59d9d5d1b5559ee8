package dev.postbackrelay.localruntime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postbackrelay.localruntime.http.RouteTable.Outcome;
import dev.postbackrelay.localruntime.template.HttpRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private final RouteTable routes = new RouteTable(List.of(
      target("GET", "/admin/campaigns/{campaign_id}", "Admin"),
      target("PUT", "/admin/campaigns/{campaign_id}", "Admin"),
      target("GET", "/admin/campaigns/defaults", "Defaults"),
      target("ANY", "/files/{path+}", "Files"),
      target("GET", "/files/readme", "Readme"),
      target("GET", "/click", "Click")));

  @Test
  void literalPath_matchesOnlyItself() {
    assertEquals("Click", routes.match("GET", "/click").target().function());
    assertEquals(Outcome.NOT_FOUND, routes.match("GET", "/click/").outcome());
    assertEquals(Outcome.NOT_FOUND, routes.match("GET", "/clicks").outcome());
  }

  @Test
  void parameterSegment_matchesOneSegment() {
    RouteTable.Match match = routes.match("PUT", "/admin/campaigns/c1");
    assertEquals(Outcome.MATCHED, match.outcome());
    assertEquals(Map.of("campaign_id", "c1"), match.pathParameters());
    assertEquals(Outcome.NOT_FOUND, routes.match("GET", "/admin/campaigns/c1/x").outcome());
    assertEquals(Outcome.NOT_FOUND, routes.match("GET", "/admin/campaigns/").outcome());
  }

  @Test
  void mostSpecificRoute_wins() {
    assertEquals("Defaults", routes.match("GET", "/admin/campaigns/defaults").target().function());
    assertEquals("Readme", routes.match("GET", "/files/readme").target().function());
  }

  @Test
  void greedyParameter_takesTheRestOfThePath_underAnyMethod() {
    RouteTable.Match match = routes.match("DELETE", "/files/a/b%20c");
    assertEquals("Files", match.target().function());
    assertEquals(Map.of("path", "a/b c"), match.pathParameters());
    assertEquals(Outcome.NOT_FOUND, routes.match("GET", "/files").outcome());
  }

  @Test
  void knownPathUnderAnotherMethod_isMethodNotAllowed() {
    assertEquals(Outcome.METHOD_NOT_ALLOWED, routes.match("POST", "/click").outcome());
    assertEquals(Outcome.METHOD_NOT_ALLOWED, routes.match("DELETE", "/admin/campaigns/c1").outcome());
  }

  @Test
  void defaultRoute_catchesWhatNothingElseMatches() {
    RouteTable withDefault = new RouteTable(List.of(target("GET", "/click", "Click"),
        target("ANY", HttpRoute.DEFAULT_ROUTE, "Fallback")));
    assertEquals("Click", withDefault.match("GET", "/click").target().function());
    assertEquals("Fallback", withDefault.match("POST", "/click").target().function());
    assertEquals("Fallback", withDefault.match("GET", "/other").target().function());
    assertEquals("$default", withDefault.match("GET", "/other").target().route().routeKey());
  }

  private static RouteTable.Target target(String method, String path, String function) {
    return new RouteTable.Target(new HttpRoute(method, path), function);
  }
}
