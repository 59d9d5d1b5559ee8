package dev.postbackrelay.lambda.wiring;

import dev.postbackrelay.lambda.config.RelayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The local stack's crash test of the stats function: with {@code RELAY_STATS_CRASH_AFTER_WRITES} and
 * {@code RELAY_STATS_CRASH_ONCE_MARKER} set, the process halts (no shutdown hooks, no answer) right
 * after that many stats writes, unless the marker file exists; it creates the file first, so this
 * happens once. Unset (as deployed), it does nothing.
 */
final class CrashTest implements Runnable {

  private static final Logger LOG = Logger.getLogger(CrashTest.class);

  private final int afterWrites;
  private final Path marker;
  private final AtomicInteger writes = new AtomicInteger();

  private CrashTest(int afterWrites, Path marker) {
    this.afterWrites = afterWrites;
    this.marker = marker;
  }

  static Runnable from(RelayConfig.Stats config) {
    if (config.crashAfterWrites().isEmpty() || config.crashOnceMarker().isEmpty()) {
      return () -> { };
    }
    return new CrashTest(config.crashAfterWrites().get(), Path.of(config.crashOnceMarker().get()));
  }

  @Override
  public void run() {
    if (writes.incrementAndGet() != afterWrites || Files.exists(marker)) {
      return;
    }
    try {
      Files.createFile(marker);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.warnf("crash test: halting after %d stats writes", afterWrites);
    Runtime.getRuntime().halt(137);
  }
}
