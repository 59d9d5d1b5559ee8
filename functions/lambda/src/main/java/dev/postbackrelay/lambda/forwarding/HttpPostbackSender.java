package dev.postbackrelay.lambda.forwarding;

import dev.postbackrelay.forwarding.PostbackSender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Outbound postbacks over the JDK HTTP client: no redirects followed, a connect time-out on the
 * client and a response time-out per request. POST sends the URL's query as a form body.
 *
 * <p>The host was resolved and approved by the outbound guard just before; the JDK client
 * resolves it again when it connects, so a DNS answer that changes in between is not re-checked
 * here (pinning the connection to the approved address is planned with the delivery queue).
 */
public final class HttpPostbackSender implements PostbackSender {

  private final HttpClient client;
  private final Duration readTimeout;

  public HttpPostbackSender(Duration connectTimeout, Duration readTimeout) {
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.readTimeout = readTimeout;
  }

  @Override
  public Response send(String method, URI url, InetAddress address, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder().timeout(readTimeout)
        .header("Idempotency-Key", idempotencyKey)
        .header("User-Agent", "postback-relay/1");
    if ("POST".equals(method)) {
      String query = url.getRawQuery() == null ? "" : url.getRawQuery();
      URI target = URI.create(url.toString().replaceFirst("\\?.*$", ""));
      request.uri(target).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(query));
    } else {
      request.uri(url).GET();
    }
    long start = System.nanoTime();
    try {
      HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      long millis = (System.nanoTime() - start) / 1_000_000;
      int status = response.statusCode();
      return new Response(status, millis, status >= 200 && status < 300 ? null : "http_" + status);
    } catch (HttpTimeoutException e) {
      return new Response(0, (System.nanoTime() - start) / 1_000_000, "timeout");
    } catch (IOException e) {
      return new Response(0, (System.nanoTime() - start) / 1_000_000, "io: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(0, (System.nanoTime() - start) / 1_000_000, "interrupted");
    }
  }
}
