package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The core's packages form a graph without cycles, its shared value types sit in a leaf that
 * depends on no other package of the product, and main code names classes through imports.
 * Read from the sources (imports and qualified names), so no framework and no compiled classes.
 */
class PackageStructureTest {

  private static final String CORE = "functions/core/src/main/java";
  private static final String ROOT_PACKAGE = "dev.postbackrelay";
  private static final String LEAF = ROOT_PACKAGE + ".common";
  private static final List<String> MAIN_SOURCES = List.of(CORE, "functions/lambda/src/main/java",
      "functions/deploy-hook/src/main/java", "infra");

  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern PRODUCT_TYPE = Pattern.compile("\\bdev\\.postbackrelay((?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;",
      Pattern.MULTILINE);
  private static final Pattern QUALIFIED = Pattern.compile(
      "(?<![\\w.])((?:java|javax|jakarta|dev|software|com|org|io)(?:\\.[a-z]\\w*)+)\\.([A-Z]\\w*)");
  private static final Pattern DECLARED = Pattern.compile(
      "\\b(?:class|interface|enum|record|@interface)\\s+([A-Z]\\w*)");

  @Test
  void corePackagesDependOnEachOtherWithoutCycles() {
    Map<String, Set<String>> graph = packageGraph();
    List<List<String>> cycles = cycles(graph);
    assertTrue(cycles.isEmpty(), () -> "package cycles in the core: " + cycles + "\ngraph: " + graph);
  }

  @Test
  void theSharedValueTypesLiveInALeafThatDependsOnNoOtherPackage() {
    Map<String, Set<String>> graph = packageGraph();
    assertTrue(graph.containsKey(LEAF), () -> LEAF + " holds the shared value types; packages: " + graph.keySet());
    assertEquals(Set.of(), graph.get(LEAF), LEAF + " must depend on no other package of the product");
    assertFalse(graph.containsKey(ROOT_PACKAGE), "no class lives in the root package; shared types go to " + LEAF);
  }

  @Test
  void theCheckSeesACycleWhenThereIsOne() {
    Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
    assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of(), "d", Set.of("a", "b"))));
  }

  @Test
  void mainCodeNamesClassesThroughImportsWhereAnImportWouldDo() {
    List<String> found = new ArrayList<>();
    for (String directory : MAIN_SOURCES) {
      JavaSources.under(directory).forEach((file, source) -> {
        if (!file.toString().contains("/src/main/java/")) {
          return;
        }
        found.addAll(inlineQualifiedNames(file, source));
      });
    }
    assertEquals(List.of(), found, "write an import instead of the qualified name");
  }

  @Test
  void anInlineQualifiedNameIsFoundUnlessItsSimpleNameIsTakenByAnotherClass() {
    String source = """
        package a;
        import java.util.List;
        class A {
          java.util.Map<String, java.util.List<String>> m = new java.util.HashMap<>();
          java.awt.List clash;
          String s = "java.util.Set";
        }
        """;
    assertEquals(List.of("A.java: java.util.Map", "A.java: java.util.List", "A.java: java.util.HashMap"),
        inlineQualifiedNames(Path.of("A.java"), source));
  }

  /** Edges between the core's packages, from imports and qualified names in the sources. */
  private static Map<String, Set<String>> packageGraph() {
    Map<String, Set<String>> graph = new TreeMap<>();
    JavaSources.under(CORE).forEach((file, source) -> {
      Matcher p = PACKAGE.matcher(source);
      assertTrue(p.find(), () -> file + " declares no package");
      String from = p.group(1);
      Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
      Matcher m = PRODUCT_TYPE.matcher(withoutStrings(source.substring(p.end())));
      while (m.find()) {
        String target = ROOT_PACKAGE + m.group(1);
        if (!target.equals(from)) {
          to.add(target);
        }
      }
    });
    return graph;
  }

  /** Every cycle's members (one strongly connected component each), each sorted, in order of their first. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<List<String>> components = new ArrayList<>();
    for (String node : new TreeSet<>(graph.keySet())) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, onStack, components);
      }
    }
    components.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    return components;
  }

  private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> components) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, onStack, components);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> component = new ArrayList<>();
      String member;
      do {
        member = stack.pop();
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        component.sort(null);
        components.add(component);
      }
    }
  }

  /**
   * Qualified class names written in code (not in imports, the package line or strings) whose
   * simple name the file neither imports from elsewhere nor declares: an import would do there.
   */
  static List<String> inlineQualifiedNames(Path file, String source) {
    Set<String> taken = new HashSet<>();
    Matcher declared = DECLARED.matcher(source);
    while (declared.find()) {
      taken.add(declared.group(1));
    }
    Map<String, String> imported = new HashMap<>();
    Matcher imports = IMPORT.matcher(source);
    int bodyStart = 0;
    while (imports.find()) {
      String name = imports.group(1);
      imported.put(name.substring(name.lastIndexOf('.') + 1), name);
      bodyStart = imports.end();
    }
    Matcher pkg = PACKAGE.matcher(source);
    if (pkg.find()) {
      bodyStart = Math.max(bodyStart, pkg.end());
    }
    List<String> found = new ArrayList<>();
    Matcher q = QUALIFIED.matcher(withoutStrings(source.substring(bodyStart)));
    while (q.find()) {
      String simple = q.group(2);
      String qualified = q.group(1) + "." + simple;
      String importedAs = imported.get(simple);
      boolean clash = taken.contains(simple) || (importedAs != null && !importedAs.equals(qualified));
      if (!clash) {
        found.add(file.getFileName() + ": " + qualified);
      }
    }
    return found;
  }

  static String withoutStrings(String source) {
    return source.replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"").replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"");
  }
}
