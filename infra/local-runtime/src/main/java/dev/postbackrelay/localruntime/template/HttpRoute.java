package dev.postbackrelay.localruntime.template;

/**
 * One {@code HttpApi} event of a function: {@code method} upper-cased ({@code ANY} for any
 * method), {@code path} as written in the template ({@code /admin/campaigns/{campaign_id}}), or
 * {@code $default} when the event names no path.
 */
public record HttpRoute(String method, String path) {

  public static final String DEFAULT_ROUTE = "$default";

  /** The API Gateway route key: {@code GET /click}, or {@code $default}. */
  public String routeKey() {
    return DEFAULT_ROUTE.equals(path) ? DEFAULT_ROUTE : method + " " + path;
  }
}
