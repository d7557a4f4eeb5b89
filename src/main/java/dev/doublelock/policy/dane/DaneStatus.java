package dev.doublelock.policy.dane;

import dev.doublelock.dns.TlsaRecord;

import java.util.List;

/**
 * What DNS says about DANE for one MX host and port (RFC 7672 §2.2). Only {@link None} permits
 * delivery without DANE; {@link Bogus} and {@link ServFail} mean "could be DANE, cannot tell", and
 * a relay must then defer, never fall back to unauthenticated or plaintext delivery.
 */
public sealed interface DaneStatus {

    /** No DANE: the host's DNS is insecure, or TLSA records are securely absent. */
    record None(String reason) implements DaneStatus {
    }

    /**
     * DNSSEC-validated TLSA records exist.
     *
     * @param usable false if none is usable for SMTP (then RFC 7672 §2.2 says: mandatory TLS,
     *               no authentication)
     */
    record Records(String tlsaName, List<TlsaRecord> records, boolean usable) implements DaneStatus {
        public Records {
            records = List.copyOf(records);
        }

        /** The TLSA base domain: the name after {@code _PORT._tcp.} (the MX host, or its CNAME-expanded name). */
        public String baseDomain() {
            int tcp = tlsaName.indexOf("._tcp.");
            return tcp < 0 ? tlsaName : tlsaName.substring(tcp + "._tcp.".length());
        }
    }

    /** DNSSEC validation failed for the host's addresses or its TLSA records. */
    record Bogus(String reason) implements DaneStatus {
    }

    /** The lookup failed (SERVFAIL, timeout). */
    record ServFail(String reason) implements DaneStatus {
    }
}
