package dev.doublelock.policy.dane;

import dev.doublelock.dns.TlsaRecord;

/** The outcome of matching a server's certificate chain against its TLSA records (RFC 7672 §3). */
public sealed interface DaneResult {

    /**
     * A usable record matched.
     *
     * @param record    the TLSA record that matched
     * @param certIndex the index in the presented chain of the certificate it matched (0 = leaf)
     * @param needsNameCheck true for DANE-TA(2): the caller must still check the leaf's names against
     *                       the MX host (RFC 7672 §3.2.2); DANE-EE(3) needs no name or date checks
     */
    record Matched(TlsaRecord record, int certIndex, boolean needsNameCheck) implements DaneResult {
    }

    /** No record is usable for SMTP (only PKIX-TA/PKIX-EE usages, unknown selectors or matching types). */
    record NoUsableRecords() implements DaneResult {
    }

    /** Usable records exist but none matches the chain: the relay must not deliver (RFC 7672 §2.2). */
    record Mismatch(int usableRecords, int certificates) implements DaneResult {
    }
}
