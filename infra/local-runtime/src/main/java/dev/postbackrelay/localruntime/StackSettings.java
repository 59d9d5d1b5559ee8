package dev.postbackrelay.localruntime;

import dev.postbackrelay.localaws.client.LocalAwsProcess;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a start of the local stack is told, from its arguments and environment.
 *
 * <p>Arguments: {@code --template FILE} (default {@code template.yaml}), {@code --port N}
 * (default {@code $PORT}, else 3000), {@code --instances N} execution environments per function
 * (default {@code $LOCAL_FUNCTION_INSTANCES}, else 1), {@code --local-aws-jar FILE} (default
 * {@code infra/local-aws/target/local-aws.jar} beside the template), {@code --db-path DIR} (keep
 * DynamoDB data and SQS queues with their messages on disk). Environment: {@code ADMIN_TOKEN} and {@code CLICK_ID_KEYS} (else
 * {@code RELAY_ADMIN_TOKEN} / {@code RELAY_CLICK_ID_KEYS}, else random per start),
 * {@code LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS} (the visibility timeout given to
 * messages an invocation left on the queue, so retries come after seconds, not the queue's
 * minutes), and every {@code RELAY_*} variable, passed on to the functions.
 */
record StackSettings(Path template, int port, int instances, Path localAwsJar, Path dbPath, String adminToken,
    String clickIdKeys, Integer retryVisibilityTimeout, Map<String, String> passThrough) {

  static StackSettings from(String[] args, Map<String, String> env) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: [--template FILE] [--port N] [--instances N]"
            + " [--local-aws-jar FILE] [--db-path DIR]; got " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    Path template = Path.of(options.getOrDefault("template", "template.yaml")).toAbsolutePath().normalize();
    int port = Integer.parseInt(options.getOrDefault("port", env.getOrDefault("PORT", "3000")));
    int instances = Integer.parseInt(options.getOrDefault("instances", env.getOrDefault("LOCAL_FUNCTION_INSTANCES", "1")));
    Path localAws = options.containsKey("local-aws-jar") ? Path.of(options.get("local-aws-jar"))
        : LocalAwsProcess.jar(template.getParent());
    Path dbPath = options.containsKey("db-path") ? Path.of(options.get("db-path")) : null;
    String token = first(env, "ADMIN_TOKEN", "RELAY_ADMIN_TOKEN");
    String keys = first(env, "CLICK_ID_KEYS", "RELAY_CLICK_ID_KEYS");
    String visibility = env.get("LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS");
    Map<String, String> passThrough = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith("RELAY_")) {
        passThrough.put(name, value);
      }
    });
    if (instances < 1) {
      throw new IllegalArgumentException("--instances must be at least 1");
    }
    return new StackSettings(template, port, instances, localAws, dbPath, token == null ? randomKey() : token,
        keys == null ? randomKey() : keys, visibility == null || visibility.isBlank() ? null : Integer.valueOf(visibility),
        passThrough);
  }

  /** Where tables and queues live, as the stack says at start and at stop. */
  String dataNotice() {
    return dbPath == null
        ? "in memory only: tables, queues and messages are gone when the stack stops (--db-path DIR keeps them)"
        : "kept in " + dbPath.toAbsolutePath() + " (tables, queues and messages survive a stop and restart)";
  }

  private static String first(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** 32 random bytes, base64url without padding. */
  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }
}
