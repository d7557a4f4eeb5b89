package dev.doublelock.relay;

import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.DnsjavaResolverBuilder;
import dev.doublelock.dns.TrustAnchors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which DNS the relay asks (config {@code dns}): MX, TLSA, MTA-STS and TLS-RPT lookups, validated in the relay from
 * the IANA root's trust anchor unless another is given.
 *
 * @param server      the resolver to ask ({@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT}); empty: the system's
 *                    resolvers (or dnsjava's {@code dns.server} property)
 * @param trustAnchor a file of DS or DNSKEY records to validate from instead of the IANA root (a private or test
 *                    zone, e.g. the lab's); empty: the IANA root
 */
public record ResolverSettings(Optional<String> server, Optional<Path> trustAnchor) {
    /** The system's resolvers, the IANA root. */
    public static final ResolverSettings SYSTEM = new ResolverSettings(Optional.empty(), Optional.empty());

    public ResolverSettings {
        server.ifPresent(s -> DnsjavaResolver.builder().server(s)); // fails early with a clear message
    }

    /** A resolver with these settings and {@code builder}'s other defaults. */
    public DnsjavaResolver build() {
        DnsjavaResolverBuilder b = DnsjavaResolver.builder();
        server.ifPresent(b::server);
        trustAnchor.ifPresent(p -> {
            try {
                b.trustAnchors(TrustAnchors.fromFile(p));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the DNSSEC trust anchor file " + p + ": " + e.getMessage(), e);
            }
        });
        return b.build();
    }
}
