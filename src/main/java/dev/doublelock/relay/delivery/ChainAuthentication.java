package dev.doublelock.relay.delivery;

import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;

import java.util.List;
import java.util.Objects;

/**
 * How one hop's certificate chain is authenticated: by the Web PKI (PKIX to the configured anchors plus the
 * RFC 6125 name check), or by the DNSSEC-validated TLSA records of the MX host (DANE, RFC 7672 §3). A DANE
 * match replaces PKIX: the findings PKIX would raise about trust, names or dates are then not the policy's
 * business, while its parameter checks (protocol, suites, key sizes) still apply.
 */
sealed interface ChainAuthentication {

    /** PKIX validation and the name check (the default, and what MTA-STS requires). */
    record WebPki() implements ChainAuthentication {
    }

    /**
     * DANE: at least one usable record must match the presented chain.
     *
     * @param tlsaName       where the records were found ({@code _25._tcp.mx.example.org})
     * @param records        the DNSSEC-validated TLSA RRset
     * @param referenceNames the names a DANE-TA(2) leaf may carry (RFC 7672 §3.2.2): the TLSA base domain first
     *                       (the MX host name, or its CNAME-expanded name; also the SNI), then the MX host name and
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

    ChainAuthentication WEB_PKI = new WebPki();

    /**
     * The findings that still count under this authentication. Under DANE-EE(3) the chain's issuer, names and
     * validity dates are not checked (RFC 7672 §3.1.1), nor the leaf's own signature (the key is pinned); under
     * DANE-TA(2) trust comes from the TLSA record and the name check is done against the DANE reference names,
     * so UNKNOWN_ISSUER and BAD_CERT_DOMAIN from the Web-PKI view are dropped.
     *
     * @param eeMatch true if a DANE-EE record matched (or, before matching, if only EE records could match)
     */
    static List<Finding> withoutSuperseded(List<Finding> findings, boolean eeMatch) {
        return findings.stream().filter(f -> !superseded(f.code(), eeMatch)).toList();
    }

    private static boolean superseded(FindingCode code, boolean ee) {
        return switch (code) {
            case UNKNOWN_ISSUER, BAD_CERT_DOMAIN -> true;
            case EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE, WEAK_SIGNATURE_ALGORITHM -> ee;
            default -> false;
        };
    }
}
