package dev.doublelock.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * The DNS questions mail transport security asks: where does mail for a domain go (MX), at which
 * addresses, what do TXT records say (MTA-STS, TLS-RPT), and which TLSA records pin the server's
 * certificate (DANE). Every answer carries whether it was DNSSEC-validated; no method throws for
 * NXDOMAIN, NODATA, SERVFAIL, bogus answers or timeouts.
 */
public interface MailResolver {

    /**
     * The mail exchangers of a domain, in the order to try them (lowest preference first). With no
     * MX records the domain itself is returned as an implicit MX (RFC 5321 §5.1); a null MX
     * (RFC 7505) gives {@link Lookup.NullMx}.
     */
    Lookup<List<MxHost>> mx(String domain);

    /** A and AAAA records of a host, IPv4 first. */
    Lookup<List<InetAddress>> addresses(String host);

    /** TXT records of a name, each record's strings joined without separator (RFC 7208 §3.3 style). */
    Lookup<List<String>> txt(String name);

    /** TLSA records at a name such as {@code _25._tcp.mx.example.}. */
    Lookup<List<TlsaRecord>> tlsa(String name);

    /**
     * The name a host's address records are found at after following its CNAME chain (RFC 7672 §2.2.2: the
     * CNAME-expanded name), without a trailing dot; the host itself when it has no CNAME. Authentic only if the
     * whole chain was DNSSEC-validated. By default: no CNAMEs (resolvers that cannot tell).
     */
    default Lookup<String> canonicalName(String host) {
        return new Lookup.Found<>(host.endsWith(".") ? host.substring(0, host.length() - 1) : host, false);
    }

    /**
     * Whether the resolver behind these lookups passes DNSSEC data (RRSIG, DNSKEY, NSEC) so that answers can be
     * validated. When it {@linkplain DnssecSupport#withheld() withholds} it, answers come back not authentic
     * rather than bogus, and DNSSEC and DANE could not be checked. By default: unknown (resolvers that cannot tell).
     */
    default DnssecSupport dnssecSupport() {
        return DnssecSupport.unknown("this resolver does not probe for DNSSEC support");
    }
}
