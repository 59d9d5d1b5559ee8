package dev.postbackrelay.localruntime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The running local stack as the benches see it: their {@code --name value} options (with
 * {@code --url}, {@code --token} and {@code --concurrency} common to all), a client that follows
 * no redirect, and the admin call that creates the bench's campaign.
 */
final class BenchStack {

  final Map<String, String> options;
  final String base;
  final int concurrency;
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** {@code args} over the common defaults and the bench's own {@code defaults}. */
  BenchStack(String[] args, Map<String, String> defaults) {
    options = new HashMap<>(Map.of("url", "http://127.0.0.1:3000", "concurrency", "4",
        "token", System.getenv().getOrDefault("ADMIN_TOKEN", "")));
    options.putAll(defaults);
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    base = options.get("url");
    concurrency = Integer.parseInt(options.get("concurrency"));
  }

  int intOption(String name) {
    return Integer.parseInt(options.get(name));
  }

  /** {@code PUT /admin/campaigns/{id}} with {@code json}; exits with status 1 unless it answers 200. */
  void putCampaign(String id, String json) throws IOException, InterruptedException {
    String path = "/admin/campaigns/" + id;
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + options.get("token")).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() != 200) {
      System.err.println("PUT " + path + ": " + put.statusCode() + " " + put.body());
      System.exit(1);
    }
  }
}
