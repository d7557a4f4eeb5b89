package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the recipient domain's own publications demand of one hop, on top of the local policy map: DANE
 * (RFC 7672) first, then MTA-STS (RFC 8461). They only ever raise the bar: TLS becomes mandatory, the chain
 * is authenticated by TLSA records or the Web PKI, or the hop is not used at all.
 *
 * @param mechanism      "dane" or "mta-sts" when one of them decides this hop, empty when the local policy does
 * @param mandatoryTls   no plaintext, no delivery without an authenticated TLS session
 * @param authentication how the chain is authenticated
 * @param notes          findings about the domain's publications to record with the attempt (e.g. what an
 *                       MTA-STS policy in testing mode would have refused)
 * @param skip           why this hop must not be used at all (DNSSEC failure, MX not in the MTA-STS policy):
 *                       the relay does not connect; the reason, with {@code notes} naming the findings
 * @param remark         a few words for the attempt history ("mta-sts testing"), empty if none
 */
record HopRequirement(Optional<String> mechanism, boolean mandatoryTls, ChainAuthentication authentication,
                      List<Finding> notes, Optional<String> skip, Optional<String> remark) {
    static final String DANE = "dane";
    static final String MTA_STS = "mta-sts";

    HopRequirement {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(authentication, "authentication");
        notes = List.copyOf(notes);
        Objects.requireNonNull(skip, "skip");
        Objects.requireNonNull(remark, "remark");
    }

    /** Nothing published (or nothing that counts): the local policy decides alone. */
    static HopRequirement local() {
        return new HopRequirement(Optional.empty(), false, ChainAuthentication.WEB_PKI, List.of(), Optional.empty(),
                Optional.empty());
    }

    /** The local policy decides; the notes are recorded with the attempt. */
    static HopRequirement local(List<Finding> notes, String remark) {
        return new HopRequirement(Optional.empty(), false, ChainAuthentication.WEB_PKI, notes, Optional.empty(),
                Optional.ofNullable(remark));
    }

    /** Mandatory TLS authenticated as given, decided by {@code mechanism}. */
    static HopRequirement mandatory(String mechanism, ChainAuthentication authentication, List<Finding> notes) {
        return new HopRequirement(Optional.of(mechanism), true, authentication, notes, Optional.empty(), Optional.empty());
    }

    /** Do not connect to this hop; {@code findings} say why. */
    static HopRequirement skip(String mechanism, List<Finding> findings, String reason) {
        return new HopRequirement(Optional.of(mechanism), true, ChainAuthentication.WEB_PKI, findings,
                Optional.of(reason), Optional.empty());
    }

    /** The word for the attempt history: the mechanism, or the local policy's name. */
    String label(String localPolicy) {
        return mechanism.orElse(localPolicy);
    }

    /** The outcome with this requirement's notes added to its findings. */
    HopOutcome annotate(HopOutcome outcome) {
        if (notes.isEmpty() || skip.isPresent()) {
            return outcome;
        }
        List<Finding> all = new ArrayList<>(outcome.findings());
        notes.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return switch (outcome) {
            case HopOutcome.Sent s -> new HopOutcome.Sent(s.ip(), s.tls(), all, s.wouldRefuse(), s.result());
            case HopOutcome.Refused r -> new HopOutcome.Refused(r.ip(), r.tls(), all, r.reason());
            case HopOutcome.Failed f -> new HopOutcome.Failed(f.ip(), f.tls(), all, f.error());
        };
    }
}
