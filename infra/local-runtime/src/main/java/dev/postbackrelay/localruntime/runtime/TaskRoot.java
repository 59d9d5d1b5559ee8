package dev.postbackrelay.localruntime.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The function code as Lambda lays it out in {@code /var/task}: a directory, or a zip unpacked into one. */
public final class TaskRoot {

  private TaskRoot() {}

  /** {@code codeUri} itself when it is a directory, else the zip unpacked into {@code target}. */
  public static Path prepare(Path codeUri, Path target) {
    if (Files.isDirectory(codeUri)) {
      return codeUri;
    }
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(codeUri))) {
      Files.createDirectories(target);
      Path root = target.toRealPath();
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        Path file = root.resolve(entry.getName()).normalize();
        if (!file.startsWith(root)) {
          throw new IOException("zip entry outside the task root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(file);
        } else {
          Files.createDirectories(file.getParent());
          Files.copy(zip, file);
        }
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + codeUri, e);
    }
  }
}
