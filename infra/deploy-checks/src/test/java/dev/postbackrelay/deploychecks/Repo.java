package dev.postbackrelay.deploychecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository these checks read, found from the build's {@code repo.root} property. */
final class Repo {

  private static final Path ROOT = locate();

  private Repo() {}

  static Path root() {
    return ROOT;
  }

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Maven sets {@code repo.root} to the directory it was started from; walking up from there finds
   * the top even when the build was started inside this module.
   */
  private static Path locate() {
    Path start = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("No template.yaml above " + start + ": run the checks inside the repository");
  }
}
