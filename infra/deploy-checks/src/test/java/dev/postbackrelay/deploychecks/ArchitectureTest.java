package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every function runs on arm64 (Graviton: about 20% less per GB-second than x86_64 at the same
 * memory), which holds because the artifacts are pure Java: no native library in any jar they
 * carry, so nothing ties them to one instruction set.
 */
class ArchitectureTest {

  final Template template = Template.get();

  @Test
  void everyFunctionRunsOnArm64() {
    for (String f : template.functions()) {
      assertEquals(List.of("arm64"), template.effectiveFunction(f).get("Architectures"), f);
    }
  }

  @Test
  void theArtifactsCarryNoNativeCode() throws IOException {
    for (String artifact : List.of("functions/lambda/target/function.zip", "functions/deploy-hook/target/deploy-hook.jar")) {
      Path path = Repo.path(artifact);
      Assumptions.assumeTrue(Files.isRegularFile(path), "needs " + artifact + " (mvn -DskipTests package)");
      List<String> natives = new ArrayList<>();
      try (InputStream in = Files.newInputStream(path)) {
        scan(in, artifact, natives);
      }
      assertEquals(List.of(), natives, "native code ties " + artifact + " to one instruction set");
    }
  }

  /** Native libraries in a zip and in the jars inside it. */
  private static void scan(InputStream zip, String where, List<String> natives) throws IOException {
    ZipInputStream entries = new ZipInputStream(zip);
    for (ZipEntry e; (e = entries.getNextEntry()) != null; ) {
      String name = e.getName().toLowerCase(Locale.ROOT);
      if (name.endsWith(".so") || name.endsWith(".dll") || name.endsWith(".dylib") || name.endsWith(".jnilib")) {
        natives.add(where + "!" + e.getName());
      } else if (name.endsWith(".jar")) {
        scan(entries, where + "!" + e.getName(), natives); // reads the nested jar from the stream, in place
      }
    }
  }
}
