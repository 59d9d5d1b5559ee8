package dev.postbackrelay.relay;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A query string, built from the options that were given (the rest are left out). */
public final class Query {

  private final Map<String, String> params = new LinkedHashMap<>();

  public Query put(String name, Object value) {
    if (value != null && !value.toString().isEmpty()) {
      params.put(name, value.toString());
    }
    return this;
  }

  /** {@code path}, with {@code ?query} when there is one. */
  public String on(String path) {
    if (params.isEmpty()) {
      return path;
    }
    return path + "?" + params.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
  }

  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
