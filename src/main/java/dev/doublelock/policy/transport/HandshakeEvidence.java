package dev.doublelock.policy.transport;

import java.util.List;
import java.util.Optional;

import dev.doublelock.finding.Finding;

/**
 * What a live client saw of a handshake besides the session itself, to explain a failed one by the most specific
 * evidence there is.
 *
 * @param alert          the TLS alert that ended a failed handshake (either side's), e.g. {@code protocol_version}
 * @param suitesOffered  how many cipher suites the client offered (only the policy's, when enforcing)
 * @param chainSeen      the server's Certificate message arrived
 * @param atChain        the verdict's findings when the chain arrived (the client aborted the handshake on them)
 * @param pkixFailure    why the TLS provider's own PKIX validation (with its algorithm constraints) rejected the
 *                       chain, if it did: evidence for UNKNOWN_ISSUER where the policy's own chain checks found nothing
 */
public record HandshakeEvidence(Optional<String> alert, int suitesOffered, boolean chainSeen, List<Finding> atChain,
                                Optional<String> pkixFailure) {
    public static final HandshakeEvidence NONE = new HandshakeEvidence(Optional.empty(), 0, false, List.of(),
            Optional.empty());

    public HandshakeEvidence {
        atChain = List.copyOf(atChain);
    }

    public HandshakeEvidence(Optional<String> alert, int suitesOffered, boolean chainSeen, List<Finding> atChain) {
        this(alert, suitesOffered, chainSeen, atChain, Optional.empty());
    }
}
