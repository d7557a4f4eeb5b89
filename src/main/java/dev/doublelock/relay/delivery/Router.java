package dev.doublelock.relay.delivery;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the hops for a recipient domain, like Postfix's transport map in front of MX lookup:
 * <ol>
 *   <li>a static route for the exact domain ({@code "example.org" → ["mx1.example.org:25", "10.0.0.2:2525"]});</li>
 *   <li>a static route for a parent domain written with a leading dot ({@code ".example.org"});</li>
 *   <li>the default route {@code "*"} (a smarthost, like Postfix's {@code relayhost}): every domain without a
 *       route of its own goes there, and no MX lookup is made;</li>
 *   <li>the DNS MX records in preference order (RFC 5321 §5.1; a domain without MX is its own implicit MX),
 *       if a resolver is configured.</li>
 * </ol>
 * Host names of static routes that are {@code localhost} or listed in the system's hosts file are resolved by
 * the system resolver; all other names, and always the hosts found by MX lookup, through DNS.
 * A null MX (RFC 7505) is a permanent failure with status 5.1.10, a non-existent domain 5.1.2; SERVFAIL,
 * timeouts and DNSSEC-bogus answers are transient (the message waits, it is never sent elsewhere).
 */
public final class Router {
    private final Optional<MailResolver> resolver;
    private final Map<String, List<Hop>> staticRoutes = new LinkedHashMap<>();
    private final int mxPort;
    private final HostsFile hostsFile;

    public Router(Optional<MailResolver> resolver, Map<String, List<String>> staticRoutes) {
        this(resolver, staticRoutes, 25);
    }

    /**
     * @param mxPort the SMTP port of hosts found by MX lookup: 25, except in tests that run receivers on
     *               loopback ports
     */
    public Router(Optional<MailResolver> resolver, Map<String, List<String>> staticRoutes, int mxPort) {
        this(resolver, staticRoutes, mxPort, HostsFile.system());
    }

    /**
     * @param hostsFile the names a static route resolves through the system resolver rather than DNS (a test
     *                  seam; normally {@link HostsFile#system()})
     */
    public Router(Optional<MailResolver> resolver, Map<String, List<String>> staticRoutes, int mxPort,
                  HostsFile hostsFile) {
        this.hostsFile = Objects.requireNonNull(hostsFile, "hostsFile");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        if (mxPort < 1 || mxPort > 65535) {
            throw new IllegalArgumentException("mxPort must be 1..65535, got " + mxPort);
        }
        this.mxPort = mxPort;
        staticRoutes.forEach((domain, hops) -> {
            if (hops == null || hops.isEmpty()) {
                throw new IllegalArgumentException("static route for " + domain + " lists no destination; "
                        + "give at least one host:port");
            }
            this.staticRoutes.put(normalize(domain), hops.stream().map(Hop::parse).toList());
        });
    }

    private Router(Router base, int mxPort) {
        this.resolver = base.resolver;
        this.staticRoutes.putAll(base.staticRoutes);
        this.mxPort = mxPort;
        this.hostsFile = base.hostsFile;
    }

    /** The same routes, with MX hosts on {@code port} instead of 25 (a test seam). */
    public Router withMxPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("mxPort must be 1..65535, got " + port);
        }
        return port == mxPort ? this : new Router(this, port);
    }

    /** The resolver used for MX lookups, which DANE and MTA-STS use too; empty for static routing only. */
    Optional<MailResolver> resolver() {
        return resolver;
    }

    /** Static routes only, no DNS. */
    public static Router staticOnly(Map<String, List<String>> staticRoutes) {
        return new Router(Optional.empty(), staticRoutes);
    }

    /**
     * The route for {@code domain}.
     *
     * @throws RouteException if there is none (see the class comment for which failures are permanent)
     */
    public Route route(String domain) {
        String d = normalize(domain);
        List<Hop> exact = staticRoutes.get(d);
        if (exact != null) {
            return new Route(d, exact, false);
        }
        for (String parent = d; parent.contains("."); ) {
            parent = parent.substring(parent.indexOf('.') + 1);
            List<Hop> hops = staticRoutes.get("." + parent);
            if (hops != null) {
                return new Route(d, hops, false);
            }
        }
        List<Hop> fallback = staticRoutes.get("*");
        if (fallback != null) {
            return new Route(d, fallback, false);
        }
        if (resolver.isPresent()) {
            return mxRoute(d, resolver.get());
        }
        throw new RouteException(false, "4.4.4", "no route to " + d + ": no static route matches and no DNS resolver "
                + "is configured; add a route for " + d + " or \"*\" (smarthost), or enable DNS");
    }

    /**
     * The socket addresses of a hop of a static route (see {@link #addresses(Route, Hop)}).
     *
     * @throws RouteException (transient) if the name has no address or the lookup failed
     */
    public List<InetSocketAddress> addresses(Hop hop) {
        return addresses(hop, false);
    }

    /**
     * The socket addresses of one hop of {@code route}: an IP literal as is; a static route's host that is
     * {@code localhost} or listed in the hosts file through the system resolver ({@link InetAddress}, which reads
     * {@code /etc/hosts}); any other name through the configured resolver (A then AAAA), or the system resolver
     * when none is configured. Hosts found by MX lookup always go through the configured resolver: DNS named
     * them, and DANE needs DNS's authentic flag for their addresses.
     *
     * @throws RouteException (transient) if the name has no address or the lookup failed
     */
    public List<InetSocketAddress> addresses(Route route, Hop hop) {
        return addresses(hop, route.fromMx());
    }

    private List<InetSocketAddress> addresses(Hop hop, boolean fromMx) {
        try {
            if (hop.isAddressLiteral()) {
                return List.of(new InetSocketAddress(InetAddress.getByName(hop.host()), hop.port()));
            }
            if (resolver.isEmpty() || (!fromMx && hostsFile.isLocal(hop.host()))) {
                return Arrays.stream(InetAddress.getAllByName(hop.host()))
                        .map(a -> new InetSocketAddress(a, hop.port())).toList();
            }
        } catch (UnknownHostException e) {
            throw new RouteException(false, "4.4.3", "cannot resolve " + hop.host() + ": " + e.getMessage());
        }
        Lookup<List<InetAddress>> found = resolver.get().addresses(hop.host());
        if (found instanceof Lookup.Found<List<InetAddress>> f && !f.value().isEmpty()) {
            return f.value().stream().map(a -> new InetSocketAddress(a, hop.port())).toList();
        }
        throw new RouteException(false, "4.4.3", "no usable address for " + hop.host() + " ("
                + found.getClass().getSimpleName() + "); will retry");
    }

    private Route mxRoute(String d, MailResolver dns) {
        Lookup<List<MxHost>> mx = dns.mx(d);
        return switch (mx) {
            case Lookup.Found<List<MxHost>> f -> {
                if (f.value().isEmpty()) {
                    throw new RouteException(false, "4.4.4", "the MX lookup for " + d + " returned no usable host");
                }
                yield new Route(d, f.value().stream().map(h -> new Hop(h.name(), mxPort)).toList(), true,
                        f.authentic());
            }
            case Lookup.NullMx<List<MxHost>> n -> throw new RouteException(true, "5.1.10",
                    d + " publishes a null MX (RFC 7505): it accepts no mail");
            case Lookup.NxDomain<List<MxHost>> n -> throw new RouteException(true, "5.1.2",
                    "the domain " + d + " does not exist (DNS NXDOMAIN); check the recipient address");
            case Lookup.NoData<List<MxHost>> n -> throw new RouteException(true, "5.1.2",
                    d + " has neither MX nor address records");
            case Lookup.ServFail<List<MxHost>> s -> throw new RouteException(false, "4.4.3",
                    "DNS failure looking up the MX of " + d + ": " + s.reason() + "; will retry");
            case Lookup.Timeout<List<MxHost>> t -> throw new RouteException(false, "4.4.3",
                    "DNS timeout looking up the MX of " + d + "; will retry");
            case Lookup.Bogus<List<MxHost>> b -> throw new RouteException(false, "4.7.5",
                    "DNSSEC validation failed for the MX of " + d + " (" + b.reason() + "); mail waits until it validates");
        };
    }

    private static String normalize(String domain) {
        String d = Objects.requireNonNull(domain, "domain").strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
