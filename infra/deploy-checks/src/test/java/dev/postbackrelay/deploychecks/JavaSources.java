package dev.postbackrelay.deploychecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Java sources the simple way the checks need: comments stripped, then regular expressions.
 * Good enough for names written literally ({@code @Named("click")}, SDK method calls).
 */
final class JavaSources {

  private static final Pattern NAMED = Pattern.compile("@Named\\(\\s*\"([^\"]+)\"\\s*\\)");

  /** SDK client calls and the IAM action each needs, per SDK package. */
  private static final Map<String, Map<String, String>> ACTIONS = Map.of(
      "dynamodb", Map.ofEntries(Map.entry("getItem", "dynamodb:GetItem"), Map.entry("putItem", "dynamodb:PutItem"),
          Map.entry("updateItem", "dynamodb:UpdateItem"), Map.entry("deleteItem", "dynamodb:DeleteItem"),
          Map.entry("query", "dynamodb:Query"), Map.entry("queryPaginator", "dynamodb:Query"),
          Map.entry("scan", "dynamodb:Scan"), Map.entry("scanPaginator", "dynamodb:Scan"),
          Map.entry("batchGetItem", "dynamodb:BatchGetItem"), Map.entry("batchWriteItem", "dynamodb:BatchWriteItem"),
          Map.entry("transactGetItems", "dynamodb:GetItem")),
      "sqs", Map.of("sendMessage", "sqs:SendMessage", "sendMessageBatch", "sqs:SendMessage",
          "receiveMessage", "sqs:ReceiveMessage", "deleteMessage", "sqs:DeleteMessage",
          "deleteMessageBatch", "sqs:DeleteMessage", "changeMessageVisibility", "sqs:ChangeMessageVisibility",
          "changeMessageVisibilityBatch", "sqs:ChangeMessageVisibility", "getQueueAttributes", "sqs:GetQueueAttributes",
          "getQueueUrl", "sqs:GetQueueUrl"),
      "secretsmanager", Map.of("getSecretValue", "secretsmanager:GetSecretValue"),
      "lambda", Map.of("invoke", "lambda:InvokeFunction"),
      "codedeploy", Map.of("putLifecycleEventHookExecutionStatus", "codedeploy:PutLifecycleEventHookExecutionStatus"));

  private JavaSources() {}

  /** Main sources under a directory of the repository, by path; empty when it does not exist. */
  static Map<Path, String> under(String directory) {
    Path root = Repo.path(directory);
    if (!Files.isDirectory(root)) {
      return Map.of();
    }
    Map<Path, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(file, withoutComments(Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sources;
  }

  /** {@code @Named} values of classes that implement {@code RequestHandler}, with their files. */
  static Map<String, Path> namedHandlers(Map<Path, String> sources) {
    Map<String, Path> handlers = new LinkedHashMap<>();
    sources.forEach((file, source) -> {
      Matcher m = NAMED.matcher(source);
      while (m.find()) {
        int body = source.indexOf('{', m.end());
        String declaration = body < 0 ? "" : source.substring(m.end(), body);
        if (declaration.matches("(?s).*\\bclass\\s+\\w+.*") && declaration.contains("RequestHandler")) {
          handlers.put(m.group(1), file);
        }
      }
    });
    return handlers;
  }

  /** The IAM actions the AWS SDK calls in these sources need, each with a file that makes it. */
  static Map<String, Path> awsActions(Map<Path, String> sources) {
    Map<String, Path> actions = new TreeMap<>();
    sources.forEach((file, source) -> ACTIONS.forEach((service, calls) -> {
      if (source.contains("software.amazon.awssdk.services." + service + ".")
          || ("dynamodb".equals(service) && source.contains("software.amazon.awssdk.enhanced.dynamodb"))) {
        calls.forEach((method, action) -> {
          if (Pattern.compile("\\." + method + "\\s*\\(").matcher(source).find()) {
            actions.putIfAbsent(action, file);
          }
        });
      }
    }));
    return actions;
  }

  /** The source with comments blanked out; string and character literals are left alone. */
  static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '"' && source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        end = end < 0 ? source.length() : end + 3;
        out.append(source, i, end);
        i = end;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < source.length() && source.charAt(j) != c) {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        j = Math.min(j + 1, source.length());
        out.append(source, i, j);
        i = j;
      } else if (source.startsWith("//", i)) {
        while (i < source.length() && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
