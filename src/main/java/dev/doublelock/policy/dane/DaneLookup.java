package dev.doublelock.policy.dane;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.TlsaRecord;

import java.net.InetAddress;
import java.util.List;

/**
 * Finds the DANE status of one MX host (RFC 7672 §2.2): the host's address records must be
 * DNSSEC-validated for its TLSA records to count; then the TLSA RRset at {@code _PORT._tcp.BASE}
 * decides. The TLSA base domain is the CNAME-expanded host name when the host is an alias and the whole
 * chain is signed, falling back to the host name itself when the expanded name has no (or no signed)
 * TLSA records (§2.2.2); otherwise the host name. The MX lookup itself (and whether it was secure) is the
 * caller's business.
 */
public final class DaneLookup {

    public DaneStatus lookup(MailResolver resolver, String mxHost, int port) {
        String host = mxHost.endsWith(".") ? mxHost.substring(0, mxHost.length() - 1) : mxHost;
        Lookup<List<InetAddress>> addresses = resolver.addresses(host);
        DaneStatus failed = failure(addresses, "addresses of " + host);
        if (failed != null) {
            return failed;
        }
        if (!addresses.authentic()) {
            return new DaneStatus.None("the address records of " + host + " are not DNSSEC-signed");
        }
        if (!(addresses instanceof Lookup.Found)) {
            return new DaneStatus.None(host + " has no address records");
        }
        Lookup<String> canonical = resolver.canonicalName(host);
        if (canonical instanceof Lookup.Found<String>(String expanded, boolean authentic) && authentic
                && !expanded.equalsIgnoreCase(host)) {
            DaneStatus atExpanded = tlsa(resolver, expanded, port);
            if (!(atExpanded instanceof DaneStatus.None)) {
                return atExpanded;
            }
        }
        return tlsa(resolver, host, port);
    }

    private static DaneStatus tlsa(MailResolver resolver, String base, int port) {
        String tlsaName = "_" + port + "._tcp." + base;
        Lookup<List<TlsaRecord>> tlsa = resolver.tlsa(tlsaName);
        DaneStatus failed = failure(tlsa, "TLSA " + tlsaName);
        if (failed != null) {
            return failed;
        }
        if (tlsa instanceof Lookup.Found<List<TlsaRecord>>(List<TlsaRecord> records, boolean authentic)) {
            if (!authentic) {
                return new DaneStatus.None("TLSA records at " + tlsaName + " are not DNSSEC-signed, so they do not count");
            }
            return new DaneStatus.Records(tlsaName, records, records.stream().anyMatch(TlsaMatcher::usable));
        }
        return new DaneStatus.None("no TLSA records at " + tlsaName
                + (tlsa.authentic() ? " (securely denied)" : " (insecure denial)"));
    }

    private static DaneStatus failure(Lookup<?> lookup, String what) {
        return switch (lookup) {
            case Lookup.Bogus<?> b -> new DaneStatus.Bogus("DNSSEC validation failed for " + what + ": " + b.reason());
            case Lookup.ServFail<?> s -> new DaneStatus.ServFail(what + ": " + s.reason());
            case Lookup.Timeout<?> t -> new DaneStatus.ServFail(what + ": DNS timeout");
            default -> null;
        };
    }
}
