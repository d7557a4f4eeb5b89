package dev.doublelock.dns;

import java.time.Duration;
import java.util.Objects;

/** Settings for a {@link DnsjavaResolver}: which server, which trust anchors, how long to wait, MX order. */
public final class DnsjavaResolverBuilder {
    private String server;
    private TrustAnchors anchors;
    private Duration timeout = Duration.ofSeconds(5);
    private MxOrder mxOrder = MxOrder.shuffled();

    DnsjavaResolverBuilder() {
    }

    /** Send queries to this server ({@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT}); default: the system's resolvers. */
    public DnsjavaResolverBuilder server(String hostPort) {
        ResolverAddress.parse(hostPort); // fail early with a clear message
        this.server = hostPort;
        return this;
    }

    /** Validate from these anchors instead of the IANA root. */
    public DnsjavaResolverBuilder trustAnchors(TrustAnchors anchors) {
        this.anchors = Objects.requireNonNull(anchors);
        return this;
    }

    /** Time to wait for one server response (default 5 s). */
    public DnsjavaResolverBuilder timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** Order of MX hosts with equal preference (default: shuffled, per RFC 5321 §5.1). */
    public DnsjavaResolverBuilder mxOrder(MxOrder order) {
        this.mxOrder = Objects.requireNonNull(order);
        return this;
    }

    public DnsjavaResolver build() {
        return new DnsjavaResolver(DnsjavaResolver.upstream(server), DnsjavaResolver.describe(server),
                anchors == null ? TrustAnchors.ianaRoot() : anchors, timeout, mxOrder);
    }
}
