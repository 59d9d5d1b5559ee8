package dev.postbackrelay.lambda.wiring;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.formatters.JsonFormatter;

/**
 * Makes every log line one JSON object (time, level, logger, message, exception, and the MDC with
 * the correlation ids: request_id, click_id, postback_id, destination), so CloudWatch Logs
 * Insights can filter on them. Lambda's own JSON log format covers only LambdaLogger and Log4j2,
 * not JBoss logging, and Quarkus's JSON logging extension is not available in the repository this
 * project builds from, so the formatter JBoss LogManager ships is installed on the console
 * handlers at start-up. Messages never carry secrets or raw personal data by design of the callers.
 */
@ApplicationScoped
public class JsonLogs {

  void onStart(@Observes StartupEvent event) {
    // the JSON provider is looked up with the context class loader: use the one that loaded the
    // formatter, so that API and provider come from one class loader (matters under Quarkus tests)
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    JsonFormatter formatter;
    try {
      thread.setContextClassLoader(JsonFormatter.class.getClassLoader());
      formatter = new JsonFormatter();
    } finally {
      thread.setContextClassLoader(previous);
    }
    formatter.setPrintDetails(false);
    for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
      install(handler, formatter);
    }
  }

  private static void install(Handler handler, JsonFormatter formatter) {
    if (handler instanceof ExtHandler ext && ext.getHandlers().length > 0) {
      for (Handler child : ext.getHandlers()) {
        install(child, formatter);
      }
      return;
    }
    handler.setFormatter(formatter);
  }
}
