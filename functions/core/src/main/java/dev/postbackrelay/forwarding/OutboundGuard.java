package dev.postbackrelay.forwarding;

import dev.postbackrelay.Reason;
import dev.postbackrelay.RejectedException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The SSRF guard: decides whether the product may call a URL, and which addresses it may
 * connect to.
 *
 * <p>Only http and https; never loopback, private (RFC 1918), carrier-grade NAT, link-local
 * (which holds the cloud metadata address 169.254.169.254), unique-local IPv6, multicast,
 * unspecified or IPv4-mapped or NAT64 forms of those. {@code allowLoopback} exists for the local
 * stack, whose tests stand in for partners on 127.0.0.1; nothing deployed sets it. A deployment may
 * name explicit exceptions as CIDR blocks.
 */
public final class OutboundGuard {

  /** Resolves host names; a seam so tests can pin answers. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowLoopback;
  private final java.util.List<dev.postbackrelay.postback.Cidr> exceptions;
  private final Resolver resolver;

  public OutboundGuard(boolean allowLoopback) {
    this(allowLoopback, InetAddress::getAllByName);
  }

  public OutboundGuard(boolean allowLoopback, Resolver resolver) {
    this(allowLoopback, java.util.List.of(), resolver);
  }

  /**
   * @param exceptions CIDR blocks a deployment explicitly allows although they are internal (a
   *     partner reached over a VPC peering, say); empty by default
   */
  public OutboundGuard(boolean allowLoopback, java.util.List<String> exceptions, Resolver resolver) {
    this.allowLoopback = allowLoopback;
    this.exceptions = exceptions.stream().map(dev.postbackrelay.postback.Cidr::parse).toList();
    for (var block : this.exceptions) {
      for (String never : new String[] {"127.0.0.1", "169.254.169.254", "::1", "fd00:ec2:0:0:0:0:0:254"}) {
        if (block.contains(never) && !(allowLoopback && never.equals("127.0.0.1"))) {
          throw new IllegalArgumentException("an outbound exception may not cover " + never);
        }
      }
    }
    this.resolver = resolver;
  }

  public static OutboundGuard withExceptions(boolean allowLoopback, java.util.List<String> exceptions) {
    return new OutboundGuard(allowLoopback, exceptions, InetAddress::getAllByName);
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

  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }
}
