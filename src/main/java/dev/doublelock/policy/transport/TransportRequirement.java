package dev.doublelock.policy.transport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.doublelock.finding.Finding;

/**
 * What one MX host is held to, decided before connecting.
 *
 * @param domain         the recipient domain
 * @param host           the MX host name (or the route's host)
 * @param port           its port
 * @param policy         the local policy's name
 * @param mechanism      what raised the bar, or {@link Mechanism#LOCAL_POLICY}
 * @param tlsMandatory   no plaintext: without TLS that meets this requirement nothing is sent
 * @param enforce        the local policy's FAIL findings refuse the session (policy ENFORCE, mode ENFORCE, no
 *                       {@code TLS-Required: No}); the mechanism's own demands refuse regardless
 * @param testing        the local policy is in TESTING mode: its refusals are recorded ("would refuse"), not acted on
 * @param requireTls     the message carries REQUIRETLS: the next hop must advertise it too (RFC 8689 §4.2)
 * @param authentication how the chain must be authenticated
 * @param referenceNames the names the certificate must carry (PKIX: the MX host; DANE-TA: the TLSA base domain,
 *                       the MX host, the recipient domain)
 * @param skip           why this host must not be used at all (no connection is made)
 * @param notes          findings about the domain's publications, recorded with every attempt
 * @param report         the policy a TLS report names for this host
 */
public record TransportRequirement(String domain, String host, int port, String policy, Mechanism mechanism,
                                   boolean tlsMandatory, boolean enforce, boolean testing, boolean requireTls,
                                   ChainAuthentication authentication, List<String> referenceNames,
                                   Optional<Skip> skip, List<Finding> notes, ReportPolicy report) {

    /**
     * Do not connect.
     *
     * @param action {@link Action#REFUSE} (the host fails the requirement as published) or {@link Action#DEFER}
     *               (could not tell: a lookup failed)
     * @param reason in words, for the queue and the DSN
     */
    public record Skip(Action action, String reason) {
        public Skip {
            if (action == Action.DELIVER) throw new IllegalArgumentException("a skip never delivers");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public TransportRequirement {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(authentication, "authentication");
        referenceNames = List.copyOf(referenceNames);
        Objects.requireNonNull(skip, "skip");
        notes = List.copyOf(notes);
        Objects.requireNonNull(report, "report");
    }

    /** The chain must authenticate during the handshake (a failure aborts it); otherwise it is recorded only. */
    public boolean verified() {
        return tlsMandatory;
    }

    /** A stable word for everything this requirement decides, e.g. {@code dane+enforce+mandatory}: part of cache keys. */
    public String label() {
        return mechanism.token() + (enforce ? "+enforce" : "") + (testing ? "+testing" : "")
                + (tlsMandatory ? "+mandatory" : "") + (requireTls ? "+requiretls" : "");
    }
}
