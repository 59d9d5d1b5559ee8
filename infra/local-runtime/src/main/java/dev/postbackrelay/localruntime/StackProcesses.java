package dev.postbackrelay.localruntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processes of a running local stack, by role, as the benches measure them: each function's
 * execution environment (named by its {@code AWS_LAMBDA_FUNCTION_NAME}), the stand-ins (DynamoDB
 * Local and ElasticMQ), and the local stack itself; and each one's heap after a full GC, read with
 * the JDK's {@code jcmd} (Linux only; a process that does not answer is left out).
 */
final class StackProcesses {

  private static final Pattern FUNCTION = Pattern.compile("AWS_LAMBDA_FUNCTION_NAME=([^\\x00]+)");
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private StackProcesses() {}

  /** The role of one of the stack's processes. */
  static String role(ProcessHandle p) {
    try {
      String env = Files.readString(Path.of("/proc/" + p.pid() + "/environ"), StandardCharsets.ISO_8859_1);
      Matcher m = FUNCTION.matcher(env);
      if (m.find()) {
        return "function " + m.group(1);
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not ours to read: named by its command line below
    }
    return p.info().commandLine().orElse("").contains("local-aws") ? "stand-ins (DynamoDB Local, ElasticMQ)"
        : "other " + p.pid();
  }

  /**
   * Heap in use right after a full GC ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}), in KB,
   * of the stack process and every JVM under it, by role (the stack itself as "local stack").
   */
  static Map<String, Long> heapAfterGc(Process stack) {
    Map<String, Long> heaps = new TreeMap<>();
    heapAfterGc(stack.pid()).ifPresent(kb -> heaps.put("local stack (gateway, pollers)", kb));
    stack.descendants().forEach(p -> heapAfterGc(p.pid()).ifPresent(kb -> heaps.merge(role(p), kb, Long::sum)));
    return heaps;
  }

  private static OptionalLong heapAfterGc(long pid) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    if (jcmd(jcmd, pid, "GC.run") == null) {
      return OptionalLong.empty();
    }
    String info = jcmd(jcmd, pid, "GC.heap_info");
    if (info == null) {
      return OptionalLong.empty();
    }
    // one line per generation ("def new generation", "tenured generation") or one for G1's heap
    Matcher m = HEAP_USED.matcher(info);
    long used = 0;
    boolean any = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
      any = true;
    }
    return any ? OptionalLong.of(used) : OptionalLong.empty();
  }

  /** The command's output, or null when it failed (not a JVM, gone, no attach). */
  private static String jcmd(String jcmd, long pid, String command) {
    try {
      Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
