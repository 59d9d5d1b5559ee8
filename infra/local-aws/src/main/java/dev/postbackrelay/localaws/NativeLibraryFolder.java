package dev.postbackrelay.localaws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temporary folder DynamoDB Local extracts its native SQLite library into
 * ({@code -Dorg.sqlite.tmpdir}), one per run, named {@code local-aws-sqlite*} and marked with the
 * owning process id. It is deleted when the run ends (shutdown hook: normal exit, end of standard
 * input, SIGTERM, SIGINT); a folder whose owner died without running hooks (SIGKILL, power loss)
 * is deleted by the next run, and so is an unmarked one from an older version after a day.
 */
final class NativeLibraryFolder {

  static final String PREFIX = "local-aws-sqlite";
  private static final String OWNER = "owner.pid";
  private static final Duration UNMARKED_AGE = Duration.ofDays(1);

  private NativeLibraryFolder() {}

  /** Removes what dead runs left, then creates and marks this run's folder. */
  static Path create() throws IOException {
    Path root = Path.of(System.getProperty("java.io.tmpdir"));
    sweep(root);
    Path folder = Files.createTempDirectory(root, PREFIX);
    Files.writeString(folder.resolve(OWNER), Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
    return folder;
  }

  /** Deletes {@code folder} and everything in it; best effort. */
  static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: the next run sweeps what is left
    }
  }

  private static void sweep(Path root) {
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path folder : folders) {
        if (Files.isDirectory(folder) && abandoned(folder)) {
          delete(folder);
        }
      }
    } catch (IOException ignored) {
      // an unreadable temporary folder is not ours to fix
    }
  }

  private static boolean abandoned(Path folder) {
    Path owner = folder.resolve(OWNER);
    try {
      if (!Files.exists(owner)) {
        return Files.getLastModifiedTime(folder).toInstant().isBefore(Instant.now().minus(UNMARKED_AGE));
      }
      long pid = Long.parseLong(Files.readString(owner, StandardCharsets.US_ASCII).trim());
      return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (IOException | NumberFormatException unreadable) {
      return false;
    }
  }
}
