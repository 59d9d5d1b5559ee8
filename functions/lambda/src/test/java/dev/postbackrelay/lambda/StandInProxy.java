package dev.postbackrelay.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a real stand-in (DynamoDB Local, ElasticMQ) that can stop
 * behaving: {@link Mode#FORWARD} passes bytes both ways, {@link Mode#HANG} accepts connections and
 * never answers (a paused store), {@link Mode#REFUSE} closes its listening socket (a store that
 * refuses connections). Switching mode drops the connections already open, so a client's
 * keep-alive pool cannot slip past the new behaviour.
 */
public final class StandInProxy implements AutoCloseable {

  /** How the proxy treats the next connection. */
  public enum Mode { FORWARD, HANG, REFUSE }

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.FORWARD;
  private volatile ServerSocket listener;

  private StandInProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = bind(0);
    this.port = listener.getLocalPort();
    acceptLoop(listener);
  }

  /** A proxy in {@link Mode#FORWARD} in front of {@code endpoint} ({@code http://127.0.0.1:port}). */
  public static StandInProxy start(String endpoint) {
    URI uri = URI.create(endpoint);
    try {
      return new StandInProxy(new InetSocketAddress(uri.getHost(), uri.getPort()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the proxy", e);
    }
  }

  /** Where clients connect: {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public synchronized void mode(Mode next) {
    mode = next;
    dropOpenConnections();
    try {
      if (next == Mode.REFUSE) {
        listener.close();
      } else if (listener.isClosed()) {
        listener = bind(port);
        acceptLoop(listener);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot switch the proxy to " + next, e);
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    return socket;
  }

  private void acceptLoop(ServerSocket socket) {
    daemon("proxy-accept-" + port, () -> {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          open.add(client);
          if (mode == Mode.FORWARD) {
            forward(client);
          }
          // HANG: keep the connection open and never write a byte
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  private void forward(Socket client) {
    try {
      Socket upstream = new Socket();
      upstream.connect(target, 2000);
      open.add(upstream);
      daemon("proxy-up", () -> pump(client, upstream));
      daemon("proxy-down", () -> pump(upstream, client));
    } catch (IOException e) {
      close(client);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException endOfStream) {
      // one side closed or the mode changed
    } finally {
      close(from);
      close(to);
    }
  }

  private void dropOpenConnections() {
    for (Socket s : open) {
      close(s);
    }
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public synchronized void close() {
    dropOpenConnections();
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
