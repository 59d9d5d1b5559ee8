package dev.postbackrelay.localruntime.net;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * JDK HTTP servers bound to 127.0.0.1 with {@code TCP_NODELAY} on their connections. Without it
 * every small response written in two parts (headers, then body) waits for the peer's delayed
 * acknowledgement: about 40 ms on each Runtime API and gateway exchange.
 */
public final class LoopbackHttpServers {

  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private LoopbackHttpServers() {}

  /** An unstarted server on {@code port} (0: a free one). */
  public static HttpServer create(int port, int backlog) throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
  }
}
