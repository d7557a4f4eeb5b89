package dev.doublelock.check;

import java.util.List;
import java.util.Optional;

/**
 * What DNS said about a mail domain: its MX hosts, DNSSEC, DANE per MX host, MTA-STS and TLS-RPT.
 *
 * @param domain      the domain (A-label)
 * @param mx          the MX hosts in the order a sender tries them (empty for a null MX or a DNS failure)
 * @param mxStatus    "found", "implicit" (no MX: the domain itself), "null-mx" (RFC 7505: accepts no mail),
 *                    "nxdomain", "servfail", "timeout", "bogus"
 * @param dnssec      true if the MX answer was DNSSEC-validated
 * @param dane        per MX host: "none: why", "match", "mismatch", "bogus: why", "unusable", "error: why"
 * @param mtaSts      "none", "enforce", "testing", "none-mode", "invalid: why", "error: why"
 * @param mtaStsMx    the mx patterns of an MTA-STS policy that applies (empty otherwise)
 * @param tlsRpt      the TLS-RPT rua destinations, empty if none published
 * @param notes       plain-words explanations that are not findings (e.g. a null MX)
 */
public record DomainReport(String domain, List<Mx> mx, String mxStatus, boolean dnssec, List<DaneOfHost> dane,
                           String mtaSts, List<String> mtaStsMx, Optional<List<String>> tlsRpt, List<String> notes) {
    public DomainReport {
        mx = List.copyOf(mx);
        dane = List.copyOf(dane);
        mtaStsMx = List.copyOf(mtaStsMx);
        tlsRpt = tlsRpt.map(List::copyOf);
        notes = List.copyOf(notes);
    }

    /** One MX host with its preference. */
    public record Mx(String host, int preference, boolean implicit) {
    }

    /** The DANE state of one MX host: {@code status} is a keyword, {@code detail} plain words. */
    public record DaneOfHost(String host, String status, String detail) {
    }
}
