package dev.postbackrelay.localruntime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Tells {@code relay --local} how to reach this stack: its URL and admin token in
 * {@code ~/.postback-relay/local-stack.json} (or {@code RELAY_LOCAL_STACK_FILE}), readable and
 * writable by this user only (the folder 0700, the file 0600, written whole then moved into place),
 * and removed when the stack stops, unless another stack has written its own since.
 */
final class StackFile {

  static final String ENV = "RELAY_LOCAL_STACK_FILE";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final String contents;

  private StackFile(Path file, String contents) {
    this.file = file;
    this.contents = contents;
  }

  static Path path(Map<String, String> env) {
    String moved = env.get(ENV);
    return moved != null && !moved.isBlank() ? Path.of(moved)
        : Path.of(System.getProperty("user.home"), ".postback-relay", "local-stack.json");
  }

  /** Writes the file for the stack at {@code url}; returns it, to be {@link #remove removed} at stop. */
  static StackFile write(Path file, String url, String adminToken) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(dir + " exists and is not a folder", e);
    }
    String contents = JSON.createObjectNode().put("url", url).put("admin_token", adminToken)
        .put("pid", ProcessHandle.current().pid()).toString();
    Path temp = Files.createTempFile(dir, ".local-stack-", ".json",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, contents);
    try {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return new StackFile(file, contents);
  }

  Path file() {
    return file;
  }

  /** Removes the file if it still describes this stack. */
  void remove() {
    try {
      if (Files.isRegularFile(file) && Files.readString(file).equals(contents)) {
        Files.delete(file);
      }
    } catch (IOException e) {
      System.err.println("[local-runtime] could not remove " + file + ": " + e.getMessage());
    }
  }
}
