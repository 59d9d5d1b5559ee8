package dev.postbackrelay.localruntime.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.localaws.client.LocalAwsProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-ins leave the temporary folder as they found it: DynamoDB Local's copy of its native
 * SQLite library goes when they stop, however they are stopped short of SIGKILL, and a copy that a
 * killed run left behind goes at the next start.
 */
class LocalAwsTempFilesTest {

  private static final Path JAR =
      LocalAwsProcess.jar(Path.of(System.getProperty("localruntime.repo-root", "../.."))).toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  @Test
  void stoppedBySigterm_leavesNoTemporaryFile() throws Exception {
    Process process = start();

    process.destroy();

    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "local-aws did not stop on SIGTERM");
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  void parentGone_leavesNoTemporaryFile() throws Exception {
    Process process = start();

    process.getOutputStream().close();

    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "local-aws did not stop when its standard input closed");
    assertEquals(List.of(), entries(tmp));
  }

  @Test
  void aCopyLeftByAKilledRun_isRemovedAtTheNextStart() throws Exception {
    Process killed = start();
    killed.destroyForcibly();
    killed.waitFor(20, TimeUnit.SECONDS);
    List<String> left = entries(tmp);
    assertEquals(1, left.size(), "SIGKILL leaves its copy: " + left);

    Process next = start();
    List<String> whileRunning = entries(tmp);
    next.destroy();
    next.waitFor(20, TimeUnit.SECONDS);

    assertTrue(whileRunning.stream().noneMatch(left::contains), "still there: " + left + " in " + whileRunning);
    assertEquals(List.of(), entries(tmp));
  }

  private Process start() {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: build infra/local-aws first");
    return LocalAwsProcess.start(JAR, null, LocalAwsProcess.Options.defaults()
        .withJvmOptions(List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp)).withOutput(line -> { })).process();
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
