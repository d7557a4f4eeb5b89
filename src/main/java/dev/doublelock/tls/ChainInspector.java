package dev.doublelock.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

import dev.doublelock.tls.ChainAssessment.TrustStatus;

/**
 * Builds the certification path of a chain a server sent and tells why it is (not) trusted.
 *
 * <p>Deliberately not the JDK's PKIX validator: that one rejects a whole path for an expired certificate or a
 * SHA-1/RSA-1024 signature (jdk.certpath.disabledAlgorithms), which would hide the real defect behind
 * "untrusted". Here linkage alone decides trust — issuer DN equals subject DN and the signature verifies with
 * the issuer's key ({@link X509Certificate#verify}, no algorithm constraints, no global property changes), and
 * every issuer below an anchor is a CA. Validity dates, key sizes and signature hashes are reported as
 * {@link CertificateFacts} for the policy to judge independently. Revocation is not checked.
 */
public final class ChainInspector {
    private static final int MAX_PATH = 10;

    private final Map<X500Principal, List<X509Certificate>> anchorsBySubject = new HashMap<>();

    /**
     * @param extraAnchors             anchors the user trusts in addition (e.g. from {@code --trust lab-ca.pem})
     * @param includeJdkDefaultAnchors also trust the JDK's default store (cacerts via the default TrustManagerFactory)
     */
    public ChainInspector(Collection<X509Certificate> extraAnchors, boolean includeJdkDefaultAnchors) {
        extraAnchors.forEach(this::addAnchor);
        if (includeJdkDefaultAnchors) {
            jdkDefaultAnchors().forEach(this::addAnchor);
        }
    }

    private void addAnchor(X509Certificate anchor) {
        anchorsBySubject.computeIfAbsent(anchor.getSubjectX500Principal(), k -> new ArrayList<>()).add(anchor);
    }

    /** The JDK default trust store's anchors. */
    public static List<X509Certificate> jdkDefaultAnchors() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return Arrays.asList(x.getAcceptedIssuers());
                }
            }
            return List.of();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK default trust store: " + e.getMessage(), e);
        }
    }

    /**
     * @param chainAsSent   the server's certificates, leaf first, in the order sent
     * @param referenceName the name the leaf should carry (may be null: then {@code nameMatches} is false)
     * @param now           used only to prefer a currently valid issuer when several candidates link up
     */
    public ChainAssessment inspect(List<X509Certificate> chainAsSent, String referenceName, Instant now) {
        if (chainAsSent == null || chainAsSent.isEmpty()) {
            return new ChainAssessment(List.of(), TrustStatus.EMPTY_CHAIN, "the server sent no certificate",
                    Optional.empty(), false, referenceName);
        }
        List<Integer> path = new ArrayList<>(List.of(0));
        Set<Integer> used = new HashSet<>(path);
        Outcome outcome = null;
        while (outcome == null) {
            int currentIndex = path.get(path.size() - 1);
            X509Certificate current = chainAsSent.get(currentIndex);
            if (isAnchor(current)) {
                outcome = new Outcome(TrustStatus.TRUSTED, "chain leads to trusted anchor " + dn(current)
                        + " (sent by the server)", Optional.of(path.size() - 1));
                break;
            }
            Optional<Integer> sentIssuer = findSentIssuer(chainAsSent, current, used, now);
            if (sentIssuer.isPresent() && isAnchor(chainAsSent.get(sentIssuer.get()))) {
                path.add(sentIssuer.get());
                continue; // next round reports it as the sent anchor
            }
            Optional<X509Certificate> anchorIssuer = findAnchorIssuer(current);
            if (anchorIssuer.isPresent()) {
                outcome = new Outcome(TrustStatus.TRUSTED, "chain leads to trusted anchor "
                        + dn(anchorIssuer.get()) + " (from the trust store)", Optional.empty());
            } else if (sentIssuer.isPresent()) {
                X509Certificate issuer = chainAsSent.get(sentIssuer.get());
                if (issuer.getVersion() >= 3 && issuer.getBasicConstraints() < 0) {
                    outcome = invalid("certificate #" + sentIssuer.get() + " (" + dn(issuer)
                            + ") signed certificate #" + currentIndex + " but is not a CA certificate");
                } else if (path.size() >= MAX_PATH) {
                    outcome = invalid("path longer than " + MAX_PATH + " certificates");
                } else {
                    path.add(sentIssuer.get());
                    used.add(sentIssuer.get());
                }
            } else {
                outcome = deadEnd(chainAsSent, current, currentIndex, path.size() == 1);
            }
        }
        List<CertificateFacts> facts = path.stream().map(i -> CertificateFacts.of(i, chainAsSent.get(i))).toList();
        int unused = chainAsSent.size() - new HashSet<>(path).size();
        String detail = outcome.detail + (unused > 0 ? "; " + unused + " sent certificate(s) not on the path" : "");
        boolean nameMatches = HostnameMatcher.matches(chainAsSent.get(0), referenceName);
        return new ChainAssessment(facts, outcome.status, detail, outcome.anchorIndex, nameMatches, referenceName);
    }

    private Outcome deadEnd(List<X509Certificate> chain, X509Certificate current, int index, boolean isLeaf) {
        if (CertificateFacts.isSelfSigned(current)) {
            return isLeaf
                    ? new Outcome(TrustStatus.SELF_SIGNED, "certificate #0 (" + dn(current)
                            + ") is self-signed and not a trusted anchor", Optional.empty())
                    : new Outcome(TrustStatus.UNTRUSTED_ROOT, "chain ends at self-signed root " + dn(current)
                            + ", which is not a trusted anchor", Optional.empty());
        }
        X500Principal issuerName = current.getIssuerX500Principal();
        for (int i = 0; i < chain.size(); i++) {
            if (i != index && chain.get(i).getSubjectX500Principal().equals(issuerName)) {
                return invalid("certificate #" + i + " has the issuer name of certificate #" + index + " ("
                        + issuerName.getName(X500Principal.RFC2253) + ") but its key does not verify the signature");
            }
        }
        return new Outcome(TrustStatus.MISSING_INTERMEDIATE, "issuer " + issuerName.getName(X500Principal.RFC2253)
                + " of certificate #" + index + " was not sent by the server and is not a trusted anchor"
                + " (missing intermediate, or a CA nobody trusts)", Optional.empty());
    }

    private static Outcome invalid(String detail) {
        return new Outcome(TrustStatus.INVALID_CHAIN, detail, Optional.empty());
    }

    private boolean isAnchor(X509Certificate cert) {
        return anchorsBySubject.getOrDefault(cert.getSubjectX500Principal(), List.of()).stream()
                .anyMatch(a -> a.getPublicKey().equals(cert.getPublicKey()));
    }

    private Optional<X509Certificate> findAnchorIssuer(X509Certificate cert) {
        return anchorsBySubject.getOrDefault(cert.getIssuerX500Principal(), List.of()).stream()
                .filter(a -> verifies(cert, a)).findFirst();
    }

    private static Optional<Integer> findSentIssuer(List<X509Certificate> chain, X509Certificate cert,
                                                    Set<Integer> used, Instant now) {
        Integer best = null;
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate candidate = chain.get(i);
            if (used.contains(i) || !candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                    || !verifies(cert, candidate)) {
                continue;
            }
            if (best == null || (!validAt(chain.get(best), now) && validAt(candidate, now))) {
                best = i;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean validAt(X509Certificate c, Instant now) {
        return !now.isBefore(c.getNotBefore().toInstant()) && !now.isAfter(c.getNotAfter().toInstant());
    }

    private static boolean verifies(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String dn(X509Certificate c) {
        return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    private record Outcome(TrustStatus status, String detail, Optional<Integer> anchorIndex) {
    }
}
