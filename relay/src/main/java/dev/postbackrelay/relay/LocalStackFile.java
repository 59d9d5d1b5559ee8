package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the running local stack says how to reach it: {@code ~/.postback-relay/local-stack.json}
 * (or {@code RELAY_LOCAL_STACK_FILE}), holding its URL and admin token, readable by its user only,
 * written by the local runtime when it is ready and removed when it stops. {@code relay --local}
 * reads it; the local runtime's own writer lives beside the stack.
 */
public final class LocalStackFile {

  /** The environment variable that moves the file (tests, several stacks on one machine). */
  public static final String ENV = "RELAY_LOCAL_STACK_FILE";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the file holds. */
  public record Contents(String url, String adminToken) {}

  private LocalStackFile() {}

  public static Path path(Map<String, String> env) {
    String moved = env.get(ENV);
    if (moved != null && !moved.isBlank()) {
      return Path.of(moved);
    }
    return Path.of(System.getProperty("user.home"), ".postback-relay", "local-stack.json");
  }

  /** The running stack's URL and token; empty when no stack has written the file. */
  public static Optional<Contents> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode n = JSON.readTree(Files.readString(file));
    String url = n.path("url").asText(null);
    String token = n.path("admin_token").asText(null);
    if (url == null || token == null) {
      throw new IOException(file + " does not hold url and admin_token");
    }
    return Optional.of(new Contents(url, token));
  }
}
