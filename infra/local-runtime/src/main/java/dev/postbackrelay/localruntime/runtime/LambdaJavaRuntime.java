package dev.postbackrelay.localruntime.runtime;

import dev.postbackrelay.localruntime.process.ChildProcesses;
import dev.postbackrelay.localruntime.template.FunctionDefinition;
import dev.postbackrelay.localruntime.template.LocalValues;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Starts execution environments the way Lambda's {@code java21} managed runtime does: a JVM with
 * Amazon's runtime interface client (and {@code aws-lambda-java-core},
 * {@code aws-lambda-java-serialization}) on the system class path, its working directory the
 * unpacked function code (the client loads the code from there, root and {@code lib/*.jar}, in a
 * class loader of its own), the handler string as its argument, a clean environment made of the
 * function's variables and Lambda's reserved ones, and the heap capped at 85% of
 * {@code MemorySize}.
 */
public final class LambdaJavaRuntime {

  static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
  static final List<String> RUNTIME_JARS = List.of("aws-lambda-java-core.jar",
      "aws-lambda-java-runtime-interface-client.jar", "aws-lambda-java-serialization.jar");

  private final String classPath;
  private final Path nativeClient;

  private LambdaJavaRuntime(List<Path> jars, Path nativeClient) {
    this.classPath = String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
    this.nativeClient = nativeClient;
  }

  /**
   * Copies the runtime jars this jar carries ({@code lambda-runtime/*.jar}) into {@code directory},
   * and the client's native library once for all environments (left to itself, every client JVM
   * writes it to the same {@code /tmp} file, and one JVM loading it while another rewrites it
   * crashes).
   */
  public static LambdaJavaRuntime extractTo(Path directory) {
    try {
      Files.createDirectories(directory);
      List<Path> jars = new ArrayList<>();
      for (String name : RUNTIME_JARS) {
        Path target = directory.resolve(name);
        try (InputStream in = LambdaJavaRuntime.class.getResourceAsStream("/lambda-runtime/" + name)) {
          if (in == null) {
            throw new IllegalStateException("lambda-runtime/" + name + " is missing from the local-runtime jar");
          }
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        jars.add(target);
      }
      return new LambdaJavaRuntime(jars, extractNativeClient(directory.resolve(RUNTIME_JARS.get(1)), directory));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path extractNativeClient(Path clientJar, Path directory) throws IOException {
    String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
    String libc = Files.exists(Path.of("/lib/ld-musl-" + (arch.equals("x86_64") ? "x86_64" : "aarch64") + ".so.1"))
        ? "linux_musl-" : "linux-";
    String entry = "jni/libaws-lambda-jni." + libc + arch + ".so";
    Path target = directory.resolve("libaws-lambda-jni.so");
    try (ZipFile jar = new ZipFile(clientJar.toFile())) {
      ZipEntry library = jar.getEntry(entry);
      if (library == null) {
        throw new IllegalStateException(entry + " is missing from " + clientJar);
      }
      try (InputStream in = jar.getInputStream(library)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return target;
  }

  /** A process builder for one execution environment of {@code function}, its output merged. */
  ProcessBuilder processBuilder(FunctionDefinition function, Path taskRoot, String runtimeApi, String sandbox) {
    long heapKb = function.memorySizeMb() * 1024L * 85 / 100;
    List<String> command = List.of(ChildProcesses.javaExecutable(),
        "-XX:MaxHeapSize=" + heapKb + "k", "-XX:+UseSerialGC", "-Xshare:auto",
        "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "-D" + JNI_PROPERTY + "=" + nativeClient,
        "-cp", classPath, MAIN_CLASS, function.handler());
    ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.clear();
    env.putAll(function.environment());
    env.put("PATH", path);
    env.put("LANG", "en_US.UTF-8");
    env.put("TZ", ":UTC");
    env.put("_HANDLER", function.handler());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    env.put("AWS_REGION", LocalValues.REGION);
    env.put("AWS_DEFAULT_REGION", LocalValues.REGION);
    env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySizeMb()));
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalId());
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]" + sandbox);
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
    return builder;
  }

  /** The function ARN the Runtime API reports in {@code Lambda-Runtime-Invoked-Function-Arn}. */
  static String functionArn(FunctionDefinition function) {
    return "arn:aws:lambda:" + LocalValues.REGION + ":" + LocalValues.ACCOUNT + ":function:" + function.logicalId();
  }
}
