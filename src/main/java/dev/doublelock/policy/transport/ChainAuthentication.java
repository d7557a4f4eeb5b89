package dev.doublelock.policy.transport;

import java.util.List;
import java.util.Objects;

import dev.doublelock.dns.TlsaRecord;

/**
 * How one host's certificate chain must be authenticated: by the Web PKI, or by the DNSSEC-validated TLSA records
 * of the MX host (DANE, RFC 7672 §3). Which DANE usage matched (EE or TA) is known only after the chain is seen;
 * the {@link TransportVerdict} says it.
 */
public sealed interface ChainAuthentication {

    /** PKIX validation to the configured anchors and the name check (the default, and what MTA-STS requires). */
    record Pkix() implements ChainAuthentication {
    }

    /**
     * DANE: at least one usable record must match the presented chain.
     *
     * @param tlsaName       where the records were found ({@code _25._tcp.mx.example.org})
     * @param records        the DNSSEC-validated TLSA RRset
     * @param referenceNames the names a DANE-TA(2) leaf may carry (RFC 7672 §3.2.2): the TLSA base domain first
     *                       (the MX host name or its CNAME-expanded name; also the SNI), then the MX host name and
     *                       the recipient domain
     */
    record Dane(String tlsaName, List<TlsaRecord> records, List<String> referenceNames) implements ChainAuthentication {
        public Dane {
            Objects.requireNonNull(tlsaName, "tlsaName");
            records = List.copyOf(records);
            referenceNames = List.copyOf(referenceNames);
            if (referenceNames.isEmpty()) {
                throw new IllegalArgumentException("DANE needs at least one reference name (the TLSA base domain)");
            }
        }
    }

    ChainAuthentication PKIX = new Pkix();

    /** The SNI a client sends under this authentication for {@code referenceName} (RFC 7672 §8.1 for DANE). */
    default String serverName(String referenceName) {
        return this instanceof Dane d ? d.referenceNames().getFirst() : referenceName;
    }
}
