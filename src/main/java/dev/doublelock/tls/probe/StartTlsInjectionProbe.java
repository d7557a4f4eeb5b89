package dev.doublelock.tls.probe;

import dev.doublelock.tls.Exposure;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Server-side STARTTLS command injection (CVE-2011-0411 class; Poddebniak et al., USENIX Security 2021): EHLO,
 * then "STARTTLS\r\nNOOP\r\n" in one segment, the TLS handshake, then silence. A server that kept the plaintext
 * NOOP and runs it after the handshake answers it inside TLS (250) without being asked: commands a man in the
 * middle injects before TLS would run as if the client had sent them. A correct server discards what came before
 * its 220 (RFC 3207 §4.2) and sends nothing. SMTP STARTTLS only; the handshake trusts exactly the leaf the
 * plaintext probes saw.
 */
final class StartTlsInjectionProbe {
    private StartTlsInjectionProbe() {
    }

    private static final java.util.Set<String> JDK_TLS13_GROUPS = java.util.Set.of("x25519", "x448", "secp256r1", "secp384r1",
            "secp521r1", "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");

    /** The server's TLS 1.2/1.3 suites that the JDK's TLS enables by default and can agree a group for. */
    static String[] jdkSuites(List<SuiteEnumeration> accepted, java.util.Set<String> groups) {
        java.util.Set<String> jdk;
        try {
            jdk = java.util.Set.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        } catch (GeneralSecurityException e) {
            return new String[0];
        }
        boolean curve = groups.stream().anyMatch(ClientRenegotiationProbe.JDK_CURVES::contains);
        boolean tls13Group = groups.stream().anyMatch(JDK_TLS13_GROUPS::contains);
        return accepted.stream().filter(e -> e.supported()
                        && (e.version() == dev.doublelock.tls.TlsVersion.TLS_1_2 || e.version() == dev.doublelock.tls.TlsVersion.TLS_1_3))
                .flatMap(e -> e.accepted().stream().map(dev.doublelock.tls.CipherSuites::byCode).flatMap(java.util.Optional::stream)
                        .filter(s -> e.version() == dev.doublelock.tls.TlsVersion.TLS_1_3 ? tls13Group
                                : !s.anonymous() && (s.keyExchange() != dev.doublelock.tls.CipherSuite.KeyExchange.ECDHE || curve)))
                .map(dev.doublelock.tls.CipherSuite::name).filter(jdk::contains).distinct().toArray(String[]::new);
    }

    /** @param plain an exchange on the same address whose connections stop after TCP (the probe speaks SMTP itself) */
    static Exposure run(HelloExchange plain, Transport transport, List<X509Certificate> chain, List<SuiteEnumeration> accepted,
                        java.util.Set<String> groups, Consumer<String> untested) {
        String name = "STARTTLS injection";
        if (transport != Transport.SMTP_STARTTLS) return Exposure.notApplicable("no STARTTLS on this transport");
        String[] jdkSuites = jdkSuites(accepted, groups);
        // the JDK's TLS has TLS 1.0/1.1 and static RSA off: for such servers BouncyCastle's, which has them
        boolean bc = jdkSuites.length == 0;
        String[] suites = bc ? accepted.stream().filter(SuiteEnumeration::supported)
                .flatMap(e -> e.accepted().stream().map(dev.doublelock.tls.CipherSuites::byCode).flatMap(java.util.Optional::stream))
                .filter(x -> !x.anonymous()).map(dev.doublelock.tls.CipherSuite::name).distinct().toArray(String[]::new) : jdkSuites;
        String[] protocols = bc ? accepted.stream().filter(SuiteEnumeration::supported)
                .map(e -> e.version().javaName()).distinct().toArray(String[]::new) : null;
        if (chain.isEmpty()) {
            untested.accept(name + ": not tested: no certificate seen to pin the handshake to");
            return null;
        }
        SSLContext ctx;
        String[][] suitesHolder = new String[1][];
        try {
            ctx = bc ? SSLContext.getInstance("TLS", ChainCapture.bouncyCastleJsse()) : SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new ClientRenegotiationProbe.PinnedLeaf(chain.getFirst())}, null);
            if (bc) {
                java.util.Set<String> have = java.util.Set.of(ctx.getSupportedSSLParameters().getCipherSuites());
                suitesHolder[0] = java.util.Arrays.stream(suites).filter(have::contains).toArray(String[]::new);
            } else {
                suitesHolder[0] = suites;
            }
        } catch (GeneralSecurityException e) {
            untested.accept(name + ": JSSE unavailable: " + e.getMessage());
            return null;
        }
        if (suitesHolder[0].length == 0) {
            untested.accept(name + ": not tested: none of the server's suites is one the JDK's or BouncyCastle's TLS has");
            return null;
        }
        String[] enabled = suitesHolder[0];
        ProbeTarget target = plain.target();
        StringBuilder why = new StringBuilder();
        HelloExchange.Connected<Exposure> r;
        try {
            r = plain.connect((c, deadline) -> {
                Socket raw = c.socket();
                SmtpStartTls.Negotiation n = SmtpStartTls.dialogue(c.in(), raw.getOutputStream(), target.ehloName(), "NOOP");
                if (!n.outcome().isEstablished()) {
                    why.append("STARTTLS with a pipelined NOOP: ").append(n.outcome().detail());
                    return null;
                }
                raw.setSoTimeout(100);
                try {
                    int early = raw.getInputStream().read();
                    return early < 0 ? Exposure.notVulnerable("closed the connection on a command pipelined after STARTTLS")
                            : Exposure.notVulnerable("answered the pipelined NOOP in plaintext before TLS (it did not keep it for later)");
                } catch (SocketTimeoutException expected) {
                    // nothing in plaintext: now TLS
                }
                try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw,
                        target.sniName().orElse(target.address().getAddress().getHostAddress()), target.address().getPort(), false)) {
                    ClientRenegotiationProbe.configure(ssl, protocols, enabled, target);
                    raw.setSoTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(), 10_000)));
                    try {
                        ssl.startHandshake();
                    } catch (IOException e) {
                        why.append("the TLS handshake after STARTTLS failed: ").append(e.getMessage());
                        return null;
                    } catch (RuntimeException e) { // BouncyCastle's TLS with every usable protocol disabled
                        why.append("not tested: the probe's TLS cannot speak ").append(protocols == null ? "these versions"
                                : String.join("/", protocols)).append(" (").append(e.getMessage()).append(")");
                        return null;
                    }
                    // inside TLS: QUIT. A server that discarded the plaintext NOOP answers it with 221; one that kept it
                    // answers the NOOP first (250) — no waiting for silence needed either way
                    ssl.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    ssl.getOutputStream().flush();
                    raw.setSoTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(), 10_000)));
                    DeadlineInputStream tlsIn = new DeadlineInputStream(ssl, deadline, 10_000);
                    SmtpStartTls.Reply first;
                    try {
                        first = SmtpStartTls.reply(tlsIn);
                    } catch (IOException e) {
                        return Exposure.notVulnerable("ended the TLS session without answering QUIT (" + e.getMessage() + ")");
                    }
                    if (first.code() == 221) {
                        return Exposure.notVulnerable("answered QUIT inside TLS with 221, and nothing for the NOOP pipelined "
                                + "in plaintext with STARTTLS (discarded, RFC 3207 §4.2)");
                    }
                    String text = first.text().replaceAll("[^\\x20-\\x7E]", "?");
                    return Exposure.vulnerable("answered, inside TLS, the NOOP sent in plaintext with STARTTLS before QUIT: \""
                            + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "\"");
                }
            });
        } catch (java.io.UncheckedIOException e) {
            untested.accept(name + ": I/O error: " + e.getCause().getMessage());
            return null;
        }
        return HelloExchange.settle(r, name, why, untested);
    }
}
