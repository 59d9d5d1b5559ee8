package dev.postbackrelay.localruntime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.localruntime.runtime.FunctionErrorException;
import dev.postbackrelay.localruntime.runtime.FunctionInvoker;
import dev.postbackrelay.localruntime.runtime.FunctionTimeoutException;
import dev.postbackrelay.localruntime.runtime.FunctionUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP API on a loopback port: each request is matched against the {@link RouteTable}, turned
 * into a payload-2.0 event, given to the route's function and its answer sent back. No route is a
 * 404 and a route under another method a 405 ({@code {"error":..,"message":..}}); a function that
 * fails or times out is a 500 {@code Internal Server Error} and one that cannot take the request a
 * 503 {@code Service Unavailable}, API Gateway's own bodies. The HTTP side is {@link GatewayServer}:
 * raw query characters that API Gateway lets through reach the function, bodies over 10 MB are a
 * 413 and unparseable requests a 400, in JSON. At most {@code threads} requests are served at once;
 * how many reach one function at once is the function's {@link FunctionInvoker}'s business.
 */
public final class ApiGateway implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ApiGateway.class.getName());

  private final RouteTable routes;
  private final Map<String, ? extends FunctionInvoker> functions;
  private final HttpApiEvents events;
  private final HttpApiResponses responses;
  private final ObjectMapper json;
  private final GatewayServer server;

  public ApiGateway(int port, int threads, RouteTable routes, Map<String, ? extends FunctionInvoker> functions,
      ObjectMapper json) throws IOException {
    this.routes = routes;
    this.functions = Map.copyOf(functions);
    this.json = json;
    this.events = new HttpApiEvents(json);
    this.responses = new HttpApiResponses(json);
    this.server = new GatewayServer(port, threads, this::serve);
  }

  public void start() {
    server.start();
  }

  /** The port the gateway listens on (useful when started on port 0). */
  public int port() {
    return server.port();
  }

  /**
   * Refuses new connections, answers new requests 503 and waits, at most {@code wait}, until the
   * requests already given to a function have their answer; then {@link #close()}.
   *
   * @return whether every request in flight was answered in time
   */
  public boolean drain(Duration wait) {
    return server.drain(wait);
  }

  @Override
  public void close() {
    server.close();
  }

  /** Serves one request: matches, invokes, maps; never throws for a function's failure. */
  GatewayResponse serve(HttpApiRequest request) {
    RouteTable.Match match = routes.match(request.method(), request.rawPath());
    switch (match.outcome()) {
      case NOT_FOUND:
        return GatewayResponse.error(404, "not_found", "No route for " + request.method() + " " + request.rawPath() + ".");
      case METHOD_NOT_ALLOWED:
        return GatewayResponse.error(405, "method_not_allowed",
            "Method " + request.method() + " is not allowed on " + request.rawPath() + ".");
      default:
        break;
    }
    String requestId = UUID.randomUUID().toString();
    FunctionInvoker function = functions.get(match.target().function());
    try {
      byte[] event = json.writeValueAsBytes(events.build(request, match, requestId,
          "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + requestId.replace("-", "").substring(0, 24),
          Instant.now()));
      return withRequestId(responses.toHttp(function.invoke(event)), requestId);
    } catch (FunctionErrorException | FunctionTimeoutException e) {
      LOG.log(System.Logger.Level.WARNING, "{0} {1}: {2}", request.method(), request.rawPath(), e.getMessage());
      return withRequestId(GatewayResponse.internalServerError(), requestId);
    } catch (FunctionUnavailableException e) {
      LOG.log(System.Logger.Level.WARNING, "{0} {1}: {2}", request.method(), request.rawPath(), e.getMessage());
      return withRequestId(GatewayResponse.serviceUnavailable(), requestId);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an event", e);
    }
  }

  private static GatewayResponse withRequestId(GatewayResponse response, String requestId) {
    response.headers().put("apigw-requestid", List.of(requestId));
    return response;
  }
}
