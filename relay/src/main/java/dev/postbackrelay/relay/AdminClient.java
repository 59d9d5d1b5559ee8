package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The admin API over HTTP, for the commands and the console alike: one request at a time, signed
 * with SigV4 where the target is a deployed stack, with a bearer token elsewhere. Every failure
 * becomes a {@link RelayException} that says what to check.
 */
public final class AdminClient {

  /** API Gateway's service name for SigV4. */
  static final String EXECUTE_API = "execute-api";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Headers the JDK's client sets itself and refuses to be given. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

  /** One answer: its status, body and headers (lower-case names). */
  public record Response(int status, String body, Map<String, List<String>> headers) {

    public JsonNode json() throws RelayException {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new RelayException(RelayException.FAILED, "the relay answered " + status + " with a body that is not JSON");
      }
    }
  }

  private final Target target;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  public AdminClient(Target target) {
    this.target = target;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public Target target() {
    return target;
  }

  /**
   * Sends one request and returns a 2xx answer.
   *
   * @param pathAndQuery {@code /admin/...}, query already encoded
   * @param body JSON, or null
   * @throws RelayException for no answer, and for a non-2xx answer, with what to check
   */
  public Response send(String method, String pathAndQuery, String body) throws RelayException {
    Response r = exchange(method, pathAndQuery, body);
    if (r.status() / 100 == 2) {
      return r;
    }
    throw failure(r);
  }

  /** Sends one request and returns its answer, whatever its status (the console relays it as it is). */
  public Response exchange(String method, String pathAndQuery, String body) throws RelayException {
    URI uri = URI.create(target.baseUrl() + pathAndQuery);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(35))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    Map<String, List<String>> headers = headers(method, uri, body);
    headers.forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(name, v));
      }
    });
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers().map());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new RelayException(RelayException.UNREACHABLE, "cannot reach " + target.describe() + " ("
          + e.getClass().getSimpleName() + "): is it running, and is the URL right?", e);
    } catch (IOException e) {
      throw new RelayException(RelayException.UNREACHABLE, "no answer from " + target.describe() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RelayException(RelayException.FAILED, "interrupted", e);
    }
  }

  /** The request's headers: content type, and the bearer token or the SigV4 signature. */
  Map<String, List<String>> headers(String method, URI uri, String body) throws RelayException {
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    if (body != null) {
      unsigned.putHeader("content-type", "application/json");
    }
    if (target.auth() instanceof Target.Auth.Bearer bearer) {
      return unsigned.putHeader("authorization", "Bearer " + bearer.token()).build().headers();
    }
    Target.Auth.SigV4 sigv4 = (Target.Auth.SigV4) target.auth();
    try {
      SignedRequest signed = signer.sign(r -> r.identity(sigv4.credentials().resolveCredentials())
          .request(unsigned.build())
          .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, EXECUTE_API)
          .putProperty(AwsV4HttpSigner.REGION_NAME, sigv4.region().id()));
      return signed.request().headers();
    } catch (RuntimeException e) {
      throw new RelayException(RelayException.UNAUTHORIZED, "no AWS credentials to sign with: " + e.getMessage()
          + " (set AWS_PROFILE, or run `aws sso login` for an SSO profile)", e);
    }
  }

  /** What a non-2xx answer means, with what to check. */
  RelayException failure(Response r) {
    String error = null;
    String message = null;
    String parameter = null;
    try {
      JsonNode n = JSON.readTree(r.body());
      error = n.path("error").asText(null);
      message = n.path("message").asText(n.path("Message").asText(null));
      parameter = n.path("parameter").asText(null);
    } catch (IOException | RuntimeException notJson) {
      message = r.body() == null || r.body().isBlank() ? null : r.body().strip();
    }
    String said = (error == null ? "" : error + ": ") + (message == null ? "" : message);
    return switch (r.status()) {
      case 401 -> new RelayException(RelayException.UNAUTHORIZED, "401 from " + target.describe() + ": " + said
          + (target.auth() instanceof Target.Auth.Bearer
              ? " (the admin token is wrong: the local stack prints it at start, and --local reads it by itself)"
              : ""));
      case 403 -> new RelayException(RelayException.UNAUTHORIZED, "403 from " + target.describe() + ": " + said
          + (target.auth() instanceof Target.Auth.SigV4
              ? " (your AWS identity needs execute-api:Invoke on this API's /admin routes; check AWS_PROFILE and --region)"
              : " (this relay refuses the token; a deployed stack needs --stack NAME, which signs with IAM)"));
      case 404 -> new RelayException(RelayException.NOT_FOUND, "404: " + (said.isEmpty() ? "not found" : said));
      default -> r.status() / 100 == 4
          ? new RelayException(RelayException.INVALID, r.status() + " " + said
              + (parameter == null ? "" : " (field: " + parameter + ")"))
          : new RelayException(RelayException.FAILED, r.status() + " from " + target.describe() + ": " + said);
    };
  }
}
