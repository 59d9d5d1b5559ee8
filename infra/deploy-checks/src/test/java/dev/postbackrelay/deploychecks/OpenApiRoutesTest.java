package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The HTTP API the template deploys is the one docs/openapi.yaml describes, route for route. */
class OpenApiRoutesTest {

  static final String OPENAPI = "docs/openapi.yaml";
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  final Template template = Template.get();

  @Test
  void everyDeployedRouteIsDescribed() throws Exception {
    Set<String> described = describedOperations();
    template.routes().forEach(r -> assertTrue(described.contains(r.key()),
        r.key() + " (" + r.function() + ") is not described in " + OPENAPI + "; it describes " + described));
  }

  @Test
  void everyDescribedOperationIsDeployed() throws Exception {
    Set<String> deployed = new TreeSet<>();
    template.routes().forEach(r -> deployed.add(r.key()));
    describedOperations().forEach(op -> assertTrue(deployed.contains(op),
        OPENAPI + " describes " + op + " but template.yaml routes no function to it"));
  }

  static Set<String> describedOperations() throws Exception {
    Path file = Repo.path(OPENAPI);
    assertTrue(Files.isRegularFile(file), OPENAPI + " is missing: the HTTP API (routes, parameters, bodies,"
        + " reason codes) must be described there");
    Map<String, Object> paths;
    try (Reader reader = Files.newBufferedReader(file)) {
      paths = Template.map(Template.map(new Yaml().load(reader)).get("paths"));
    }
    Set<String> operations = new TreeSet<>();
    paths.forEach((path, item) -> Template.map(item).keySet().stream()
        .filter(m -> METHODS.contains(m.toLowerCase(Locale.ROOT)))
        .forEach(m -> operations.add(m.toUpperCase(Locale.ROOT) + " " + path)));
    return operations;
  }
}
