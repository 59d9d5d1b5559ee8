package dev.postbackrelay.lambda.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.doctor.DryRun;
import dev.postbackrelay.doctor.PostbackDoctor;
import dev.postbackrelay.forwarding.DeliveryPreview;
import dev.postbackrelay.lambda.http.HttpRequests;
import dev.postbackrelay.lambda.http.HttpResponses;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.net.Cidr;
import dev.postbackrelay.postback.InboundPostback;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /admin/postbacks/dry-run}: the postback doctor. Takes a postback exactly as a
 * network would send it and answers what the relay would do with it now, writing and sending
 * nothing ({@link PostbackDoctor}).
 *
 * <p>The request: {@code url} (the full postback URL as the network has it, macros and all) or
 * {@code query} (its query string), and optionally {@code method} (GET, or POST when a body is
 * given), {@code body}, {@code content_type} and {@code source_ip} (the network's server address;
 * without it the allowlist is judged against the caller's own address, and the answer says so).
 * The pasted postback is read by the very code that reads {@code /postback}: one the edge could
 * not even parse (a broken {@code %} escape, a body of the wrong type) is answered as refused,
 * with 200; only a dry-run request that is itself malformed is a 400.
 */
@ApplicationScoped
public class DryRunApi {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> MEMBERS = Set.of("url", "query", "method", "body", "content_type", "source_ip");

  @Inject
  PostbackDoctor doctor;

  public ObjectNode dryRun(String requestBody, String callerIp) {
    JsonNode request = request(requestBody);
    String url = text(request, "url");
    String query = text(request, "query");
    if ((url == null) == (query == null)) {
      throw invalid("url", "Send either url (the full postback URL) or query (its query string), not both.");
    }
    String path = "/postback";
    if (url != null) {
      String rest = url.replaceFirst("#.*", "");
      int q = rest.indexOf('?');
      query = q < 0 ? "" : rest.substring(q + 1);
      String location = q < 0 ? rest : rest.substring(0, q);
      int scheme = location.indexOf("://");
      if (scheme < 0 && !location.startsWith("/")) {
        throw invalid("url", "url must be an absolute http(s) URL or a path such as /postback?click_id=...");
      }
      int slash = scheme < 0 ? 0 : location.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : location.substring(slash);
    } else if (query.startsWith("?")) {
      query = query.substring(1);
    }
    String body = text(request, "body");
    String method = text(request, "method");
    method = method == null ? (body == null ? "GET" : "POST") : method.toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("POST")) {
      throw invalid("method", "method must be GET or POST, as /postback takes.");
    }
    String sourceIp = text(request, "source_ip");
    boolean assumed = sourceIp == null;
    if (assumed) {
      sourceIp = callerIp;
    } else {
      try {
        if (sourceIp.contains("/")) {
          throw new IllegalArgumentException("a block, not an address");
        }
        Cidr.parse(sourceIp);
      } catch (IllegalArgumentException e) {
        throw invalid("source_ip", "source_ip must be an IPv4 or IPv6 address such as 203.0.113.7.");
      }
    }
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRawPath(path);
    event.setRawQueryString(query);
    event.setBody(body);
    String contentType = text(request, "content_type");
    event.setHeaders(contentType == null ? Map.of() : Map.of("content-type", contentType));
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withSourceIp(sourceIp)
            .withPath(path).build()).build());

    ObjectNode n = HttpResponses.object();
    ObjectNode as = n.putObject("request");
    as.put("method", method).put("path", path).put("source_ip", sourceIp).put("source_ip_assumed", assumed);
    if (!path.equals("/postback")) {
      as.put("note", "The relay takes postbacks at /postback; this URL's path is " + path + ".");
    }
    DryRun run;
    try {
      Params params = HttpRequests.queryAndBody(event);
      run = doctor.examine(new InboundPostback(params, method, path, sourceIp));
    } catch (RejectedException unreadable) {
      run = PostbackDoctor.unreadable(unreadable);
    }
    return view(n, run);
  }

  private static ObjectNode view(ObjectNode n, DryRun run) {
    n.put("verdict", run.accepted() ? "accepted" : "refused");
    n.put("writes", 0);
    ObjectNode answer = n.putObject("answer");
    if (run.accepted()) {
      answer.put("http_status", 200).put("status", "accepted");
    } else {
      answer.put("http_status", run.refusal().httpStatus()).put("error", run.refusal().reason().code())
          .put("message", run.refusal().message()).put("parameter", run.refusal().parameter());
    }
    ArrayNode fields = n.putArray("fields");
    run.fields().forEach(f -> fields.addObject().put("field", f.field()).put("sent_as", f.sentAs())
        .put("alias", f.alias()).put("value", f.value()));
    run.extra().forEach(n.putArray("extra")::add);
    ArrayNode checks = n.putArray("checks");
    run.checks().forEach(c -> checks.addObject().put("check", c.check().code())
        .put("result", c.result().name().toLowerCase(Locale.ROOT)).put("detail", c.detail()));
    n.set("postback", run.postback() == null ? null : PostbackJson.tree(run.postback()));
    DryRun.Attribution a = run.attribution();
    if (a == null) {
      n.putNull("attribution");
    } else {
      ObjectNode at = n.putObject("attribution");
      at.put("decision", a.decision().outcome().name().toLowerCase(Locale.ROOT))
          .put("reason", a.decision().reason() == null ? null : a.decision().reason().code())
          .put("reason_sentence", a.decision().reason() == null ? null : a.decision().reason().sentence())
          .put("conversion", a.decision().conversionKey()).put("lifetime_customer", a.lifetimeCustomer());
      if (a.click() == null) {
        at.putNull("click");
      } else {
        DryRun.ClickFacts c = a.click();
        at.putObject("click").put("click_id", c.clickId()).put("campaign_id", c.campaignId())
            .put("affiliate_id", c.affiliateId()).put("created_at", c.createdAt().toString())
            .put("expired_from_store", c.remembered()).put("age_seconds", c.age().toSeconds())
            .put("window_seconds", seconds(c.window())).put("min_age_seconds", seconds(c.minAge()));
      }
      at.set("existing", conversion(a.existing()));
      at.set("booked", conversion(a.booked()));
    }
    ArrayNode deliveries = n.putArray("deliveries");
    for (DeliveryPreview d : run.deliveries()) {
      deliveries.addObject().put("destination", d.destinationId()).put("type", d.type()).put("status", d.status())
          .put("idempotency_key", d.idempotencyKey()).put("method", d.method()).put("url", d.url())
          .put("body", d.body()).put("would_fail", d.failure());
    }
    return n;
  }

  private static JsonNode conversion(Conversion c) {
    return c == null ? null : AdminApi.view(c);
  }

  private static Long seconds(Duration d) {
    return d == null ? null : d.toSeconds();
  }

  private static JsonNode request(String body) {
    if (body == null || body.isBlank()) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "Send a JSON object: {\"url\": \"https://.../postback?click_id=...\"} or {\"query\": \"click_id=...\"}.");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "The body is not valid JSON.");
    }
    if (n == null || !n.isObject()) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "The body must be a JSON object.");
    }
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!MEMBERS.contains(name)) {
        unknown.add(name);
      }
      if (!n.get(name).isTextual() && !n.get(name).isNull()) {
        throw invalid(name, name + " must be a string.");
      }
    }
    if (!unknown.isEmpty()) {
      throw invalid(unknown.get(0), "Unknown member '" + unknown.get(0) + "': the dry run takes url or query, and "
          + "optionally method, body, content_type and source_ip.");
    }
    return n;
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static RejectedException invalid(String parameter, String sentence) {
    return new RejectedException(Reason.INVALID_PARAMETER, sentence, parameter, null);
  }
}
