package dev.postbackrelay.net;

import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The SSRF guard: decides whether the product may call a URL, and which addresses it may
 * connect to.
 *
 * <p>Only http and https; never loopback, private (RFC 1918), carrier-grade NAT, link-local
 * (which holds the cloud metadata address 169.254.169.254), unique-local IPv6, multicast,
 * unspecified or IPv4-mapped or NAT64 forms of those. An IPv6 address that embeds an IPv4 address
 * is judged by the IPv4 address it embeds: IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16} (bits 16-47) and Teredo
 * {@code 2001::/32} (both its server, bits 32-63, and its client, the last 32 bits XOR
 * {@code 0xffffffff}, must be allowed). {@code allowLoopback} exists for the local stack, whose
 * tests stand in for partners on 127.0.0.1; nothing deployed sets it. A deployment may name
 * explicit exceptions as CIDR blocks, and may restrict the ports a URL may use (its explicit port,
 * or 80 for http and 443 for https); by default any port is allowed.
 */
public final class OutboundGuard {

  /** Resolves host names; a seam so tests can pin answers. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowLoopback;
  private final List<Cidr> exceptions;
  private final Resolver resolver;
  private final SortedSet<Integer> allowedPorts;

  public OutboundGuard(boolean allowLoopback) {
    this(allowLoopback, InetAddress::getAllByName);
  }

  public OutboundGuard(boolean allowLoopback, Resolver resolver) {
    this(allowLoopback, List.of(), resolver);
  }

  /**
   * @param exceptions CIDR blocks a deployment explicitly allows although they are internal (a
   *     partner reached over a VPC peering, say); empty by default
   */
  public OutboundGuard(boolean allowLoopback, List<String> exceptions, Resolver resolver) {
    this(allowLoopback, exceptions, List.of(), resolver);
  }

  /**
   * @param allowedPorts the only ports a URL may use (its explicit port, else the scheme's: 80 for
   *     http, 443 for https); empty allows any port
   */
  public OutboundGuard(boolean allowLoopback, List<String> exceptions, Collection<Integer> allowedPorts,
      Resolver resolver) {
    for (int port : allowedPorts) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("an allowed outbound port must be 1-65535, not " + port);
      }
    }
    this.allowedPorts = Collections.unmodifiableSortedSet(new TreeSet<>(allowedPorts));
    this.allowLoopback = allowLoopback;
    this.exceptions = exceptions.stream().map(Cidr::parse).toList();
    for (var block : this.exceptions) {
      for (String never : new String[] {"127.0.0.1", "169.254.169.254", "::1", "fd00:ec2:0:0:0:0:0:254"}) {
        if (block.contains(never) && !(allowLoopback && never.equals("127.0.0.1"))) {
          throw new IllegalArgumentException("an outbound exception may not cover " + never);
        }
      }
    }
    this.resolver = resolver;
  }

  public static OutboundGuard withExceptions(boolean allowLoopback, List<String> exceptions) {
    return new OutboundGuard(allowLoopback, exceptions, InetAddress::getAllByName);
  }

  /** The deployed guard: its exceptions and allowed ports (empty: any port), resolving with the system's DNS. */
  public static OutboundGuard withExceptions(boolean allowLoopback, List<String> exceptions,
      Collection<Integer> allowedPorts) {
    return new OutboundGuard(allowLoopback, exceptions, allowedPorts, InetAddress::getAllByName);
  }

  /** Checks the shape of a URL template or URL without resolving it (for admin input). */
  public URI checkShape(String url) {
    URI uri;
    try {
      uri = URI.create(url.replaceAll("\\{[a-z0-9_]+}", "x"));
    } catch (IllegalArgumentException e) {
      throw new RejectedException(Reason.FORBIDDEN_DESTINATION, "The URL is not a valid absolute URL.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RejectedException(Reason.FORBIDDEN_DESTINATION, "Only http and https URLs are allowed.");
    }
    if (uri.getHost() == null || uri.getUserInfo() != null) {
      throw new RejectedException(Reason.FORBIDDEN_DESTINATION, "The URL needs a host and must not carry credentials.");
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    if (!allowedPorts.isEmpty() && !allowedPorts.contains(port)) {
      throw new RejectedException(Reason.FORBIDDEN_DESTINATION, "Port " + port + " is not allowed: this deployment"
          + " sends only to ports " + allowedPorts.stream().map(String::valueOf).collect(Collectors.joining(", "))
          + " (RELAY_OUTBOUND_ALLOWED_PORTS).");
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        if (!isAllowed(InetAddress.getByName(host))) { // a literal address: judged now, no DNS involved
          throw new RejectedException(Reason.FORBIDDEN_DESTINATION,
              "The URL points at a loopback, private, link-local or otherwise internal address.");
        }
      } catch (UnknownHostException e) {
        throw new RejectedException(Reason.FORBIDDEN_DESTINATION, "The URL's host is not a valid address.");
      }
    }
    return uri;
  }

  /**
   * Resolves the URL's host and returns the first address allowed to be connected to.
   *
   * @throws RejectedException with {@link Reason#FORBIDDEN_DESTINATION} when the scheme is wrong
   *     or any resolved address is forbidden (one bad answer poisons the name: DNS rebinding)
   * @throws UnresolvedHostException when the name does not resolve (now): worth trying again later
   */
  public InetAddress checkAndResolve(URI uri) {
    checkShape(uri.toString());
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(uri.getHost());
    } catch (UnknownHostException e) {
      throw new UnresolvedHostException(uri.getHost());
    }
    for (InetAddress address : addresses) {
      if (!isAllowed(address)) {
        throw new RejectedException(Reason.FORBIDDEN_DESTINATION,
            "The host resolves to a loopback, private, link-local or otherwise internal address.");
      }
    }
    return addresses[0];
  }

  /** Thrown when a destination's host name does not resolve: a transient failure, not a forbidden target. */
  public static final class UnresolvedHostException extends RuntimeException {
    public UnresolvedHostException(String host) {
      super("the host does not resolve", null, false, false);
    }
  }

  public boolean isAllowed(InetAddress address) {
    if (!exceptions.isEmpty() && exceptions.stream().anyMatch(c -> c.contains(address.getHostAddress()))) {
      return true;
    }
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      if (isMappedV4(b)) {
        try {
          return isAllowed(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException impossible) {
          return false;
        }
      }
      if (isCompatibleV4(b)) { // ::/96 IPv4-compatible (deprecated): judge the IPv4 address inside
        return isAllowed(v4(b[12], b[13], b[14], b[15]));
      }
      if ((b[0] & 0xff) == 0x20 && b[1] == 0x02) { // 2002::/16 6to4: bits 16-47 are the IPv4 address
        return isAllowed(v4(b[2], b[3], b[4], b[5]));
      }
      if ((b[0] & 0xff) == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) { // 2001::/32 Teredo
        return isAllowed(v4(b[4], b[5], b[6], b[7]))
            && isAllowed(v4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]));
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return false; // fc00::/7 unique local
      }
      if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
        if (b[4] == 0 && b[5] == 1) {
          return false; // 64:ff9b:1::/48 local-use NAT64
        }
        boolean wellKnown = true;
        for (int i = 4; i < 12; i++) {
          wellKnown &= b[i] == 0;
        }
        if (wellKnown) { // 64:ff9b::/96 NAT64: judge the IPv4 address inside
          try {
            return isAllowed(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
          } catch (UnknownHostException impossible) {
            return false;
          }
        }
      }
    }
    if (address.isLoopbackAddress()) {
      return allowLoopback;
    }
    if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    if (address instanceof Inet4Address) {
      byte[] b = address.getAddress();
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0 || first >= 240) {
        return false; // "this network", reserved and broadcast
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return false; // 100.64.0.0/10 carrier-grade NAT
      }
      if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
        return false; // 192.0.0.0/24 IETF protocol assignments
      }
      if (first == 198 && (second == 18 || second == 19)) {
        return false; // benchmarking
      }
    }
    return true;
  }

  /** {@code ::a.b.c.d}, except {@code ::} and {@code ::1}, which are judged as themselves. */
  private static boolean isCompatibleV4(byte[] b) {
    for (int i = 0; i < 12; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
  }

  private static InetAddress v4(byte a, byte b, byte c, byte d) {
    try {
      return InetAddress.getByAddress(new byte[] {a, b, c, d});
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
