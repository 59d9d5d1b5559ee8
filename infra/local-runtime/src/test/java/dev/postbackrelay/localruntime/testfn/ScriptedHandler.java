package dev.postbackrelay.localruntime.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A function for the runtime tests, run by the real runtime interface client in a child JVM. The
 * event is a word: {@code fail} throws, {@code exit} ends the JVM, {@code sleep:N} sleeps N ms
 * then answers; anything else is answered with
 * {@code {"echo":<event>,"pid":..,"function":..,"remainingMs":..,"env":<value of ECHO_ENV>}}.
 */
public class ScriptedHandler implements RequestStreamHandler {

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    String event = new String(input.readAllBytes(), StandardCharsets.UTF_8).replace("\"", "");
    if (event.equals("fail")) {
      throw new IllegalStateException("scripted failure");
    }
    if (event.equals("exit")) {
      System.exit(3);
    }
    if (event.startsWith("sleep:")) {
      try {
        Thread.sleep(Long.parseLong(event.substring("sleep:".length())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String answer = "{\"echo\":\"" + event + "\",\"pid\":" + ProcessHandle.current().pid()
        + ",\"function\":\"" + context.getFunctionName() + "\",\"remainingMs\":" + context.getRemainingTimeInMillis()
        + ",\"env\":\"" + System.getenv("ECHO_ENV") + "\"}";
    output.write(answer.getBytes(StandardCharsets.UTF_8));
  }
}
