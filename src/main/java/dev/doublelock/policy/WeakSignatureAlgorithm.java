package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;

/**
 * WEAK_SIGNATURE_ALGORITHM: a non-anchor certificate on the path is signed with a hash in
 * {@code forbiddenHashes} (MD5, SHA1, SHA224, …) or a scheme in {@code forbiddenSchemes}
 * (RSA_PKCS1_V15, RSA_PSS, ECDSA, DSA, EDDSA). Not judged: the anchor, and a self-signed root at the top of
 * the path (its self-signature protects nothing; whether it is trusted is UNKNOWN_ISSUER's business). A
 * self-signed leaf is judged: it is what the server presents.
 */
final class WeakSignatureAlgorithm implements Check {
    public String type() { return "certificate-signature"; }
    public Set<String> params() { return Set.of("forbiddenHashes", "forbiddenSchemes"); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        List<Finding> out = new ArrayList<>();
        e.chain().ifPresent(a -> {
            for (int i = 0; i < a.certificates().size(); i++) {
                CertificateFacts c = a.certificates().get(i);
                if (a.isAnchor(i) || (i > 0 && c.selfSigned())) continue;
                Evaluation.worst(rules, r -> reason(r, c.signatureAlgorithm()).isPresent()).ifPresent(rule -> out.add(
                        Evaluation.finding(FindingCode.WEAK_SIGNATURE_ALGORITHM, rule, e.certificateSubject(c),
                                c.signatureAlgorithm(), "Have the certificate re-issued with "
                                        + reason(rule, c.signatureAlgorithm()).orElseThrow()
                                        + " replaced: use ECDSA or RSASSA-PSS with SHA-256 or stronger.")));
            }
        });
        return out;
    }

    static Optional<String> reason(Rule rule, String signatureAlgorithm) {
        String hash = hash(signatureAlgorithm);
        if (hash != null && rule.stringList("forbiddenHashes").stream().anyMatch(hash::equalsIgnoreCase)) {
            return Optional.of("the " + hash + " hash");
        }
        String scheme = scheme(signatureAlgorithm);
        if (rule.stringList("forbiddenSchemes").stream().anyMatch(scheme::equalsIgnoreCase)) {
            return Optional.of("the " + scheme + " signature scheme");
        }
        return Optional.empty();
    }

    /** "SHA256withRSA" → "SHA256"; "MD5withRSA" → "MD5"; null for hash-less names (Ed25519). */
    static String hash(String alg) {
        int with = alg.toUpperCase(Locale.ROOT).indexOf("WITH");
        return with <= 0 ? null : alg.substring(0, with).toUpperCase(Locale.ROOT).replace("-", "");
    }

    /** RSA_PKCS1_V15, RSA_PSS, ECDSA, DSA, EDDSA or the raw name. */
    static String scheme(String alg) {
        String u = alg.toUpperCase(Locale.ROOT);
        String s = u.contains("WITH") ? u.substring(u.indexOf("WITH") + 4) : u;
        if (s.startsWith("RSASSA-PSS") || s.contains("MGF1") || u.equals("RSASSA-PSS")) return "RSA_PSS";
        if (s.startsWith("RSA")) return "RSA_PKCS1_V15";
        if (s.startsWith("ECDSA")) return "ECDSA";
        if (s.startsWith("DSA")) return "DSA";
        if (s.startsWith("ED25519") || s.startsWith("ED448") || s.startsWith("EDDSA")) return "EDDSA";
        return s;
    }
}
