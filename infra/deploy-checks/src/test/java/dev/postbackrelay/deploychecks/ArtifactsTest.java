package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** `mvn package` at the root builds every artifact the template deploys. */
class ArtifactsTest {

  final Template template = Template.get();
  final String rootPom = Repo.read("pom.xml");

  @Test
  void everyCodeUriIsTheOutputOfAModuleInTheBuild() {
    for (String f : template.functions()) {
      String codeUri = String.valueOf(template.effectiveFunction(f).get("CodeUri"));
      int target = codeUri.indexOf("/target/");
      assertTrue(target > 0, f + ": CodeUri " + codeUri + " is not a module's build output");
      String module = codeUri.substring(0, target);
      assertTrue(Files.isRegularFile(Repo.path(module + "/pom.xml")), f + ": no module at " + module);
      assertTrue(rootPom.contains("<module>" + module + "</module>"),
          f + " deploys " + codeUri + " but the root pom.xml does not build " + module
              + ": add <module>" + module + "</module>");
    }
  }
}
