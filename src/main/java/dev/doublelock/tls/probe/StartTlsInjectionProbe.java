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

    /** How the probe's TLS session after STARTTLS is made: the JDK's TLS where it can, else BouncyCastle's low-level client. */
    private sealed interface Handshake {
        /** Completes the handshake over {@code raw}; the session's streams. */
        Streams open(Socket raw, ProbeTarget target) throws IOException;

        String describe();
    }

    private record Streams(InputStream in, java.io.OutputStream out, AutoCloseable close) {
    }

    /** The JDK's TLS (TLS 1.2/1.3 suites it enables and has a group for), trusting exactly the leaf seen before. */
    private record Jdk(SSLContext context, String[] suites) implements Handshake {
        @Override
        public Streams open(Socket raw, ProbeTarget target) throws IOException {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw,
                    target.sniName().orElse(target.address().getAddress().getHostAddress()), target.address().getPort(), false);
            ClientRenegotiationProbe.configure(ssl, null, suites, target);
            ssl.startHandshake();
            return new Streams(ssl.getInputStream(), ssl.getOutputStream(), ssl);
        }

        @Override
        public String describe() {
            return "the JDK's TLS";
        }
    }

    /**
     * BouncyCastle's low-level TLS client ({@link ProbeTlsClient}, pinned to the same leaf) at a TLS ≤ 1.2 version, for
     * what the JDK's TLS will not do under {@code jdk.tls.disabledAlgorithms} (TLS 1.0/1.1, static RSA, CCM, brainpool):
     * it reads no security properties, and it is confined to this connection.
     */
    private record LowLevel(dev.doublelock.tls.TlsVersion version, int[] suites, byte[] pinnedLeaf) implements Handshake {
        @Override
        public Streams open(Socket raw, ProbeTarget target) throws IOException {
            org.bouncycastle.tls.TlsClientProtocol p = new org.bouncycastle.tls.TlsClientProtocol(raw.getInputStream(),
                    raw.getOutputStream());
            try {
                p.connect(new ProbeTlsClient(version, suites, target.sniName(), pinnedLeaf, false));
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
            return new Streams(p.getInputStream(), p.getOutputStream(), p::close);
        }

        @Override
        public String describe() {
            return "BouncyCastle's TLS at " + version.displayName();
        }
    }

    /** The handshake to use, or empty with the reason in {@code untested}. */
    private static java.util.Optional<Handshake> handshake(List<SuiteEnumeration> accepted, java.util.Set<String> groups,
                                                           X509Certificate leaf, String name, Consumer<String> untested) {
        String[] jdkSuites = jdkSuites(accepted, groups);
        if (jdkSuites.length > 0) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[]{new ClientRenegotiationProbe.PinnedLeaf(leaf)}, null);
                return java.util.Optional.of(new Jdk(ctx, jdkSuites));
            } catch (GeneralSecurityException e) {
                untested.accept(name + ": JSSE unavailable: " + e.getMessage());
                return java.util.Optional.empty();
            }
        }
        byte[] pinned;
        try {
            pinned = leaf.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            untested.accept(name + ": the leaf seen before cannot be encoded: " + e.getMessage());
            return java.util.Optional.empty();
        }
        // the highest TLS ≤ 1.2 version with a certificate-authenticated suite BouncyCastle completes
        java.util.Optional<Handshake> low = accepted.stream()
                .filter(e -> e.supported() && e.version() != dev.doublelock.tls.TlsVersion.TLS_1_3
                        && e.version() != dev.doublelock.tls.TlsVersion.SSL_3_0)
                .sorted((a, b) -> b.version().compareTo(a.version()))
                .map(e -> new LowLevel(e.version(), ProbeTlsClient.completable(e.accepted().stream()
                        .map(dev.doublelock.tls.CipherSuites::byCode).flatMap(java.util.Optional::stream).toList(), false), pinned))
                .filter(l -> l.suites().length > 0)
                .<Handshake>map(l -> l)
                .findFirst();
        if (low.isEmpty()) {
            untested.accept(name + ": not tested: none of the server's suites is one the JDK's TLS or BouncyCastle's "
                    + "low-level TLS completes");
        }
        return low;
    }

    /** @param plain an exchange on the same address whose connections stop after TCP (the probe speaks SMTP itself) */
    static Exposure run(HelloExchange plain, Transport transport, List<X509Certificate> chain, List<SuiteEnumeration> accepted,
                        java.util.Set<String> groups, Consumer<String> untested) {
        String name = "STARTTLS injection";
        if (transport != Transport.SMTP_STARTTLS) return Exposure.notApplicable("no STARTTLS on this transport");
        if (chain.isEmpty()) {
            untested.accept(name + ": not tested: no certificate seen to pin the handshake to");
            return null;
        }
        java.util.Optional<Handshake> how = handshake(accepted, groups, chain.getFirst(), name, untested);
        if (how.isEmpty()) return null;
        Handshake handshake = how.get();
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
                raw.setSoTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(), 10_000)));
                Streams tls;
                try {
                    tls = handshake.open(raw, target);
                } catch (IOException e) {
                    why.append("the TLS handshake after STARTTLS (").append(handshake.describe()).append(") failed: ")
                            .append(e.getMessage());
                    return null;
                }
                try {
                    return verdict(tls, raw, deadline);
                } finally {
                    closeQuietly(tls.close());
                }
            });
        } catch (java.io.UncheckedIOException e) {
            untested.accept(name + ": I/O error: " + e.getCause().getMessage());
            return null;
        }
        return HelloExchange.settle(r, name, why, untested);
    }

    /**
     * Inside TLS: QUIT. A server that discarded the plaintext NOOP answers it with 221; one that kept it answers the
     * NOOP first (250) — no waiting for silence needed either way.
     */
    private static Exposure verdict(Streams tls, Socket raw, Deadline deadline) throws IOException {
        tls.out().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        tls.out().flush();
        DeadlineInputStream tlsIn = new DeadlineInputStream(raw, tls.in(), deadline, 10_000);
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

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the verdict is in; a failing close_notify adds nothing
        }
    }
}
