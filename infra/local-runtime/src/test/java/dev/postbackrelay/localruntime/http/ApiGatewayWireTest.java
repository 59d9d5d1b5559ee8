package dev.postbackrelay.localruntime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.localruntime.template.HttpRoute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway on a real loopback socket, with a function that answers with the event it was given:
 * what API Gateway lets through reaches the function, and what it refuses is refused in JSON.
 */
class ApiGatewayWireTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiGateway gateway;

  @BeforeEach
  void start() throws IOException {
    RouteTable routes = new RouteTable(List.of(
        new RouteTable.Target(new HttpRoute("GET", "/postback"), "Echo"),
        new RouteTable.Target(new HttpRoute("POST", "/postback"), "Echo")));
    gateway = new ApiGateway(0, 4, routes, Map.of("Echo", event -> {
      try {
        ObjectNode response = JSON.createObjectNode().put("statusCode", 200);
        response.putObject("headers").put("content-type", "application/json");
        return JSON.writeValueAsBytes(response.put("body", new String(event, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }), JSON);
    gateway.start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void rawMacroBracesInQuery_reachTheFunction() throws IOException {
    Reply reply = exchange("GET /postback?clickid={clickid}&sub1=a+b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertEquals(200, reply.status, reply.text);
    JsonNode event = JSON.readTree(reply.body);
    assertEquals("clickid={clickid}&sub1=a+b", event.path("rawQueryString").asText());
    assertEquals("{clickid}", event.at("/queryStringParameters/clickid").asText());
    assertEquals("a b", event.at("/queryStringParameters/sub1").asText());
  }

  @Test
  void everyCharacterApiGatewayLetsThrough_reachesTheFunctionRaw() throws IOException {
    String query = "a={}|^`[]\"<>&b=%7B%7D&c=x+y";
    Reply reply = exchange("GET /postback?" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertEquals(200, reply.status, reply.text);
    JsonNode event = JSON.readTree(reply.body);
    assertEquals(query, event.path("rawQueryString").asText());
    assertEquals("{}|^`[]\"<>", event.at("/queryStringParameters/a").asText());
    assertEquals("{}", event.at("/queryStringParameters/b").asText());
    assertEquals("x y", event.at("/queryStringParameters/c").asText());
  }

  @Test
  void malformedRequestLine_is400JsonAndTheConnectionClosesCleanly() throws IOException {
    Reply reply = exchange("GET\r\nHost: x\r\n\r\n");

    assertEquals(400, reply.status, reply.text);
    assertEquals("application/json", reply.header("content-type"), reply.text);
    assertEquals("bad_request", JSON.readTree(reply.body).path("error").asText(), reply.text);
  }

  @Test
  void bodyOverTenMegabytes_is413Json() throws IOException {
    long size = 10L * 1024 * 1024 + 1;
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /postback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + size
          + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Reply reply = Reply.read(socket.getInputStream());

      assertEquals(413, reply.status, reply.text);
      assertEquals("application/json", reply.header("content-type"), reply.text);
      assertEquals("payload_too_large", JSON.readTree(reply.body).path("error").asText(), reply.text);
    }
  }

  @Test
  void bodyOverTenMegabytesWithoutExpect_is413JsonNotAReset() throws IOException {
    int size = 10 * 1024 * 1024 + 1;
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /postback HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " + size
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'a');
      try {
        for (int sent = 0; sent < size; sent += chunk.length) {
          out.write(chunk, 0, Math.min(chunk.length, size - sent));
        }
        out.flush();
      } catch (IOException peerStoppedReading) {
        // the gateway may answer before it has read everything; the answer must still arrive
      }
      Reply reply = Reply.read(socket.getInputStream());

      assertEquals(413, reply.status, reply.text);
      assertEquals("payload_too_large", JSON.readTree(reply.body).path("error").asText(), reply.text);
    }
  }

  @Test
  void keepAlive_servesTwoRequestsOnOneConnection() throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write("GET /postback?n=1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals(200, Reply.read(in).status);
      out.write("POST /postback HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\nn=2"
          .getBytes(StandardCharsets.US_ASCII));
      Reply second = Reply.read(in);
      assertEquals(200, second.status, second.text);
      assertEquals("n=2", JSON.readTree(second.body).path("body").asText());
    }
  }

  @Test
  void chunkedBody_reachesTheFunctionWhole() throws IOException {
    Reply reply = exchange("POST /postback HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
        + "Connection: close\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n");

    assertEquals(200, reply.status, reply.text);
    assertEquals("abcde", JSON.readTree(reply.body).path("body").asText());
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private Reply exchange(String request) throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return Reply.read(socket.getInputStream());
    }
  }

  /** One HTTP/1.1 response read off the wire (Content-Length bodies, as the gateway sends). */
  record Reply(int status, Map<String, String> headers, byte[] body, String text) {

    String header(String name) {
      String value = headers.get(name);
      return value == null ? null : value.split(";", 2)[0].trim();
    }

    static Reply read(InputStream in) throws IOException {
      String statusLine;
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      do {
        statusLine = line(in);
        headers.clear();
        for (String h; !(h = line(in)).isEmpty(); ) {
          int colon = h.indexOf(':');
          headers.put(h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), h.substring(colon + 1).trim());
        }
      } while (statusLine.matches("HTTP/1\\.[01] 1\\d\\d.*"));
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      assertTrue(statusLine.startsWith("HTTP/1."), "not an HTTP response: " + statusLine);
      return new Reply(Integer.parseInt(statusLine.split(" ")[1]), headers, body,
          statusLine + " " + headers + " " + abbreviated(new String(body, StandardCharsets.UTF_8)));
    }

    private static String abbreviated(String text) {
      return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      for (int b; (b = in.read()) != '\n'; ) {
        if (b < 0) {
          throw new IOException("connection closed after: " + buffer.toString(StandardCharsets.ISO_8859_1));
        }
        if (b != '\r') {
          buffer.write(b);
        }
      }
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }
}
