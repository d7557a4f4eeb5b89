package dev.doublelock.tls;

import java.util.List;
import java.util.Optional;

/**
 * The result of inspecting a server's certificate chain: the facts of every certificate on the path that
 * could be built from what the server sent, whether that path reaches a trust anchor (independent of time:
 * expiry is judged separately from the facts), and whether the leaf names the reference identifier.
 *
 * @param certificates  the path built from the sent certificates, leaf first; each fact keeps its
 *                      position as sent in {@link CertificateFacts#index()}. Sent certificates that are not
 *                      on the path are left out (and counted in {@code trustDetail})
 * @param trust         how the path ended
 * @param trustDetail   plain words for evidence, e.g. "chain ends at self-signed root CN=Other CA, which is not a trusted anchor"
 * @param anchorIndex   position in {@code certificates} of the trust anchor, if the server sent the anchor
 *                      itself (an anchor is not judged for its own signature); empty when the anchor came
 *                      only from the trust store or no anchor was reached
 * @param nameMatches   the leaf matches {@code referenceName} ({@link HostnameMatcher}); false if no name was given
 * @param referenceName the name the leaf should carry (MX host), may be null
 */
public record ChainAssessment(List<CertificateFacts> certificates, TrustStatus trust, String trustDetail,
                              Optional<Integer> anchorIndex, boolean nameMatches, String referenceName) {

    public enum TrustStatus {
        /** The path reaches a trust anchor; every link's signature verifies. */
        TRUSTED,
        /** The leaf is self-signed and is not itself a trust anchor. */
        SELF_SIGNED,
        /** The path ends at a self-signed root that is not a trust anchor. */
        UNTRUSTED_ROOT,
        /** The issuer of a certificate on the path was neither sent nor is an anchor. */
        MISSING_INTERMEDIATE,
        /** The server sent no certificate. */
        EMPTY_CHAIN,
        /** Names link up but a signature does not verify, an issuer is no CA, or the path loops/too long. */
        INVALID_CHAIN
    }

    public ChainAssessment {
        certificates = List.copyOf(certificates);
    }

    public boolean trusted() {
        return trust == TrustStatus.TRUSTED;
    }

    /** True if {@code certificates.get(position)} is the trust anchor the server sent. */
    public boolean isAnchor(int position) {
        return anchorIndex.isPresent() && anchorIndex.get() == position;
    }
}
