package dev.postbackrelay.campaign;

import dev.postbackrelay.common.ConversionStatus;
import java.util.Set;

/**
 * An affiliate (or traffic source) registered on a campaign, and where its conversions are
 * forwarded.
 *
 * @param postbackUrl URL template with macros ({@code {click_id}}, {@code {payout}}...), or null
 *     when this affiliate receives no postbacks
 * @param method GET or POST (form body of the query parameters)
 * @param events events that fire the postback; empty means every event
 * @param statuses statuses that fire the postback; empty means every status
 */
public record Affiliate(String postbackUrl, String method, Set<String> events, Set<ConversionStatus> statuses) {

  public Affiliate {
    method = method == null ? "GET" : method;
    events = events == null ? Set.of() : Set.copyOf(events);
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
  }

  public static Affiliate withPostbackUrl(String url) {
    return new Affiliate(url, "GET", Set.of(), Set.of());
  }

  /** Whether a conversion with this event and status should be forwarded to this affiliate. */
  public boolean fires(String event, ConversionStatus status) {
    return postbackUrl != null
        && (events.isEmpty() || events.contains(event))
        && (statuses.isEmpty() || statuses.contains(status));
  }
}
