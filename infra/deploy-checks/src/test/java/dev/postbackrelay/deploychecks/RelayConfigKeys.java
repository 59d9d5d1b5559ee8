package dev.postbackrelay.deploychecks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys a SmallRye {@code @ConfigMapping} interface reads, parsed from its source:
 * one key per abstract method (kebab-case of its name, or its {@code @WithName}), nested interfaces
 * as groups ({@code parent.child}). A key is required unless it has {@code @WithDefault} or an
 * {@code Optional} type; a {@code Map} reads any keys under its own.
 */
final class RelayConfigKeys {

  /**
   * One key, as {@code relay.<name>}, and the environment variable SmallRye maps onto it.
   *
   * @param defaultValue its {@code @WithDefault}, or null
   */
  record Key(String name, boolean required, boolean prefixOfMany, String defaultValue) {
    String environmentVariable() {
      return "RELAY_" + name.replaceAll("[.\\-]", "_").toUpperCase(Locale.ROOT);
    }

    boolean matches(String variable) {
      return prefixOfMany ? variable.startsWith(environmentVariable() + "_") : variable.equals(environmentVariable());
    }
  }

  private static final Pattern METHOD = Pattern.compile(
      "(?s)^((?:@[\\w.]+(?:\\s*\\([^)]*\\))?\\s*)*)(?:public\\s+|abstract\\s+)*([\\w.]+(?:\\s*<.*>)?(?:\\[])?)\\s+(\\w+)\\s*\\(\\s*\\)$");
  private static final Pattern TYPE_DECLARATION = Pattern.compile("\\b(interface|class|enum|record)\\s+(\\w+)");
  private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"\\s*\\)");
  private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\\s*\"([^\"]*)\"\\s*\\)");

  private RelayConfigKeys() {}

  static List<Key> parse(String source) {
    String code = JavaSources.withoutComments(source);
    int mapping = code.indexOf("@ConfigMapping");
    if (mapping < 0) {
      throw new AssertionError("No @ConfigMapping interface in RelayConfig.java");
    }
    Matcher top = Pattern.compile("\\binterface\\s+(\\w+)").matcher(code);
    if (!top.find(mapping)) {
      throw new AssertionError("No interface after @ConfigMapping in RelayConfig.java");
    }
    Map<String, String> interfaces = new LinkedHashMap<>();
    collectInterfaces(code, interfaces);
    List<Key> keys = new ArrayList<>();
    keysOf(interfaces.get(top.group(1)), "", true, interfaces, keys);
    return keys;
  }

  private static void keysOf(String body, String prefix, boolean required, Map<String, String> interfaces,
      List<Key> into) {
    for (String member : members(body)) {
      Matcher m = METHOD.matcher(member.trim());
      if (!m.matches() || member.contains("static ") || member.contains("default ")) {
        continue;
      }
      String annotations = m.group(1);
      String type = m.group(2).replaceAll("\\s", "");
      Matcher withName = WITH_NAME.matcher(annotations);
      String name = prefix + (withName.find() ? withName.group(1) : kebab(m.group(3)));
      boolean optional = type.startsWith("Optional") || annotations.contains("@WithDefault");
      String element = type.replaceAll("^Optional<(.*)>$", "$1");
      if (interfaces.containsKey(element)) {
        keysOf(interfaces.get(element), name + ".", required && !optional, interfaces, into);
      } else if (type.startsWith("Map<")) {
        into.add(new Key(name, false, true, null));
      } else {
        Matcher withDefault = WITH_DEFAULT.matcher(annotations);
        into.add(new Key(name, required && !optional, false, withDefault.find() ? withDefault.group(1) : null));
      }
    }
  }

  /** Declarations at the top level of a type body: what ends in ';' there. Nested bodies are skipped. */
  private static List<String> members(String body) {
    List<String> members = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '"') {
        i = endOfString(body, i);
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          start = i + 1;
        }
      } else if (c == ';' && depth == 0) {
        members.add(body.substring(start, i));
        start = i + 1;
      }
    }
    return members;
  }

  /** Every interface in the file, by simple name, with the text between its braces. */
  private static void collectInterfaces(String code, Map<String, String> into) {
    Matcher m = TYPE_DECLARATION.matcher(code);
    while (m.find()) {
      int open = code.indexOf('{', m.end());
      if (open < 0) {
        return;
      }
      if ("interface".equals(m.group(1))) {
        into.putIfAbsent(m.group(2), code.substring(open + 1, matchingBrace(code, open)));
      }
    }
  }

  private static int matchingBrace(String code, int open) {
    int depth = 0;
    for (int i = open; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '"') {
        i = endOfString(code, i);
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new AssertionError("Unbalanced braces in RelayConfig.java");
  }

  private static int endOfString(String code, int quote) {
    int i = quote + 1;
    while (i < code.length() && code.charAt(i) != '"') {
      i += code.charAt(i) == '\\' ? 2 : 1;
    }
    return i;
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
