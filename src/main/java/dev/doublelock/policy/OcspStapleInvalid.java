package dev.doublelock.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.OcspStaple;

/**
 * OCSP_STAPLE_INVALID: the server staples an OCSP response a client must discard (RFC 6960 §3.2): not a successful
 * response, not about this leaf, not signed by the leaf's CA or a responder it authorized, stale (nextUpdate passed)
 * or from the future, or with status unknown. A response it cannot relate to an issuer (the issuer was not sent)
 * cannot be verified and is reported as such. Only a full probe reads staples.
 */
final class OcspStapleInvalid implements Check {
    /** How far a responder's clock may run ahead of ours before thisUpdate counts as "in the future". */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public String type() { return "ocsp-staple"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.tls().flatMap(Target::ocspStaple)
                .flatMap(s -> reason(s, e.ctx().now()).map(why -> why + " (" + s.detail() + ")"))
                .flatMap(why -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(
                        FindingCode.OCSP_STAPLE_INVALID, rule, e.endpoint() + " stapled OCSP response", why,
                        "Have the server fetch a fresh response from the CA's responder for the certificate it serves, and "
                                + "refresh it before nextUpdate, or stop stapling (with openssl s_server, HAProxy or a TLS proxy: "
                                + "renew the response file)."))))
                .orElse(List.of());
    }

    static Optional<String> reason(OcspStaple s, Instant now) {
        if (s.responseStatus() != OcspStaple.ResponseStatus.SUCCESSFUL) {
            return Optional.of("the stapled response is " + s.responseStatus() + ", not a certificate status");
        }
        if (!s.forLeaf()) return Optional.of("the stapled response is not about the server's certificate");
        switch (s.signer()) {
            case BAD_SIGNATURE -> { return Optional.of("the stapled response's signature does not verify"); }
            case NOT_AUTHORIZED -> { return Optional.of("the stapled response is signed by a certificate the CA did not authorize for OCSP"); }
            case ISSUER_NOT_SENT -> { return Optional.of("the stapled response cannot be verified: the issuer certificate was not sent"); }
            default -> { }
        }
        if (s.nextUpdate().isPresent() && s.nextUpdate().get().isBefore(now)) {
            return Optional.of("the stapled response expired: nextUpdate " + s.nextUpdate().get() + " has passed");
        }
        if (s.thisUpdate().isPresent() && s.thisUpdate().get().isAfter(now.plus(CLOCK_SKEW))) {
            return Optional.of("the stapled response is from the future: thisUpdate " + s.thisUpdate().get());
        }
        if (s.certStatus().equals(Optional.of(OcspStaple.CertStatus.UNKNOWN))) {
            return Optional.of("the stapled response says the responder does not know the certificate (unknown)");
        }
        return Optional.empty();
    }
}
