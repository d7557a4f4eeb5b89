package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.TlsVersion;

/**
 * NO_CERTIFICATE: TLS was established but nothing authenticates the server. Two facts, one finding each:
 * <ul>
 * <li>the server's Certificate message was seen to be absent, or its certificate_list empty, in a handshake that
 *     needs one (RFC 5246 §7.4.2; RFC 8446 §4.4.2) — or, in session mode, the live session has no peer
 *     certificate. Every certificate check is skipped for an empty chain, so without this check such a server
 *     would pass. A chain that the prober merely did not capture is <em>not</em> this finding: it is reported
 *     as untested (incomplete);</li>
 * <li>an anonymous suite (DH_anon, ECDH_anon: aNULL) is accepted (configuration mode) or negotiated (session
 *     mode): a client that offers one is given no certificate at all (RFC 5246 §7.4.2, RFC 8422 §2.5), and an
 *     active attacker can sit in the middle.</li>
 * </ul>
 * The first is not repeated when every accepted suite is anonymous: the second then explains it.
 */
final class CertificateMissing implements Check {
    public String type() { return "certificate-present"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        if (e.tls().isEmpty() || rules.isEmpty()) return List.of();
        Target t = e.tls().get();
        Rule rule = Evaluation.worst(rules, r -> true).orElseThrow();
        List<Finding> out = new ArrayList<>();
        Map<TlsVersion, List<String>> anonymous = new TreeMap<>(Comparator.reverseOrder());
        boolean authenticatedSuite = false;
        for (Map.Entry<TlsVersion, List<String>> v : t.suitesByVersion().entrySet()) {
            for (String name : v.getValue()) {
                boolean anon = CipherSuites.byName(name).map(CipherSuite::anonymous).orElse(false);
                if (anon) anonymous.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(name);
                else authenticatedSuite = true;
            }
        }
        boolean onlyAnonymous = !anonymous.isEmpty() && !authenticatedSuite;
        if (t.certificate().missing() && !onlyAnonymous) {
            out.add(Evaluation.finding(FindingCode.NO_CERTIFICATE, rule, t.endpoint(),
                    (t.mode() == Target.Mode.SESSION ? "" : "no certificate presented: ") + t.certificate().detail(),
                    "Configure a certificate and its chain on the server (Postfix: smtpd_tls_chain_files, or "
                            + "smtpd_tls_cert_file and smtpd_tls_key_file) and make it send them in every handshake."));
        }
        if (!anonymous.isEmpty()) {
            out.add(Evaluation.finding(FindingCode.NO_CERTIFICATE, rule, t.endpoint(),
                    (t.mode() == Target.Mode.SESSION ? "negotiated" : "accepts") + " anonymous suites (aNULL), which "
                            + "send no certificate: " + summary(anonymous),
                    "Disable anonymous cipher suites (Postfix: smtpd_tls_exclude_ciphers = aNULL; OpenSSL: !aNULL) "
                            + "and serve a certificate."));
        }
        return out;
    }

    /** Newest version first, at most three suites per version: "TLS 1.2: A, B, C and 9 more; TLS 1.1: …". */
    private static String summary(Map<TlsVersion, List<String>> byVersion) {
        List<String> parts = new ArrayList<>();
        byVersion.forEach((v, suites) -> parts.add(v.displayName() + ": " + (suites.size() <= 3 ? String.join(", ", suites)
                : String.join(", ", suites.subList(0, 3)) + " and " + (suites.size() - 3) + " more")));
        return String.join("; ", parts);
    }
}
