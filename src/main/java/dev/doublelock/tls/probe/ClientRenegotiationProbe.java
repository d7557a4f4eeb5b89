package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.ServerOnlyTrustManager;
import dev.doublelock.tls.TlsVersion;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Client-initiated renegotiation (CVE-2011-1473; BSI TR-02102-2 §3.4.x: a server should refuse it): a full
 * TLS 1.2 handshake through the JDK's TLS, then a second ClientHello on the same connection. A server that
 * completes that second handshake renegotiates on request; one that answers no_renegotiation, a fatal alert,
 * closes, or ignores it does not. The handshake trusts exactly the leaf certificate the plaintext probes already
 * saw ({@link PinnedLeaf}), nothing else; no application data is sent. Where the JDK's TLS cannot do the first
 * handshake (TLS 1.0/1.1 only, suites or curves it lacks), BouncyCastle's does it instead ({@link #viaBouncyCastle}).
 */
final class ClientRenegotiationProbe {
    private ClientRenegotiationProbe() {
    }

    /** The curves the JDK's TLS client offers for ECDHE (JDK 21-25 defaults; no brainpool, no P-224). */
    static final Set<String> JDK_CURVES = Set.of("x25519", "x448", "secp256r1", "secp384r1", "secp521r1");

    static Exposure run(HelloExchange exchange, List<SuiteEnumeration> found, List<X509Certificate> chain, Set<String> groups,
                        Consumer<String> untested) {
        SuiteEnumeration tls12 = found.stream().filter(e -> e.version() == TlsVersion.TLS_1_2 && e.supported()).findFirst().orElse(null);
        boolean legacy = found.stream().anyMatch(SuiteEnumeration::supported);
        if (!legacy) return Exposure.notApplicable("no TLS ≤ 1.2 version accepted (TLS 1.3 has no renegotiation)");
        String name = "client renegotiation";
        if (chain.isEmpty()) {
            untested.accept(name + ": not tested: no certificate seen to pin the handshake to (anonymous suites only)");
            return null;
        }
        if (tls12 == null) { // only TLS 1.0/1.1, which the JDK's TLS has disabled: BouncyCastle's, in this probe only
            SuiteEnumeration best = found.stream().filter(SuiteEnumeration::supported)
                    .max((a, b) -> a.version().compareTo(b.version())).orElseThrow();
            if (best.version() == TlsVersion.SSL_3_0) {
                untested.accept(name + ": not tested: only SSL 3.0 accepted");
                return null;
            }
            return viaBouncyCastle(exchange, best, chain.getFirst(), untested);
        }
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new PinnedLeaf(chain.getFirst())}, null);
        } catch (GeneralSecurityException e) {
            untested.accept(name + ": JSSE unavailable: " + e.getMessage());
            return null;
        }
        // enabled by default, not merely supported: jdk.tls.disabledAlgorithms (e.g. TLS_RSA_* since JDK 24) still applies
        Set<String> jdk = Set.of(ctx.getDefaultSSLParameters().getCipherSuites());
        String[] suites = tls12.accepted().stream().map(CipherSuites::byCode).flatMap(java.util.Optional::stream)
                .filter(s -> !s.anonymous())
                .filter(s -> s.keyExchange() != CipherSuite.KeyExchange.ECDHE || groups.stream().anyMatch(JDK_CURVES::contains))
                .map(CipherSuite::name).filter(jdk::contains).toArray(String[]::new);
        if (suites.length == 0) { // static RSA, CCM, NULL, brainpool or P-224 only: BouncyCastle's TLS has them
            return viaBouncyCastle(exchange, tls12, chain.getFirst(), untested);
        }
        ProbeTarget target = exchange.target();
        StringBuilder why = new StringBuilder();
        HelloExchange.Connected<Exposure> r = exchange.connect((c, deadline) -> {
            Socket raw = c.socket();
            AtomicInteger handshakes = new AtomicInteger();
            try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw,
                    target.sniName().orElse(target.address().getAddress().getHostAddress()), target.address().getPort(), false)) {
                configure(ssl, new String[]{"TLSv1.2"}, suites, target);
                ssl.addHandshakeCompletedListener(e -> handshakes.incrementAndGet());
                raw.setSoTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(), 10_000)));
                try {
                    ssl.startHandshake();
                } catch (IOException e) {
                    why.append("the first handshake failed: ").append(e.getMessage());
                    return null;
                }
                byte[] firstSession = ssl.getSession().getId();
                try {
                    ssl.startHandshake(); // on an established TLS 1.2 connection: a renegotiation ClientHello
                    raw.setSoTimeout(exchange.reactionMillis());
                    ssl.getInputStream().read(); // drives the second handshake; the server sends no data of its own
                } catch (SocketTimeoutException quiet) {
                    // no data: whether it renegotiated is in the count
                } catch (IOException e) {
                    return handshakes.get() >= 2
                            ? Exposure.vulnerable("completed a second handshake the client started, then " + e.getMessage())
                            : Exposure.notVulnerable("refused a client-initiated renegotiation (" + e.getMessage() + ")");
                }
                if (handshakes.get() >= 2 || !Arrays.equals(firstSession, ssl.getSession().getId())) {
                    return Exposure.vulnerable("completed a second TLS 1.2 handshake that the client started on the same "
                            + "connection (client-initiated renegotiation)");
                }
                return Exposure.notVulnerable("did not renegotiate when the client asked (no second handshake within "
                        + exchange.reactionMillis() + " ms)");
            }
        });
        return HelloExchange.settle(r, name, why, untested);
    }

    /**
     * The same probe where the JDK's TLS cannot complete the first handshake (TLS 1.0/1.1 only, or suites and curves it
     * lacks): BouncyCastle's low-level TLS client ({@link ProbeTlsClient}, pinned to the same leaf), then one
     * renegotiation ClientHello through its record layer ({@link RenegotiatingTlsProtocol}). A ServerHello in answer
     * means the server renegotiates on request; an alert, a close or silence within the reaction wait ({@link ProbeOptions#reactionWait})
     * means it does not. Confined to this connection: the relay and every other TLS client keep the JDK's constraints.
     */
    static Exposure viaBouncyCastle(HelloExchange exchange, SuiteEnumeration e, X509Certificate leaf, Consumer<String> untested) {
        String name = "client renegotiation";
        int[] suites = ProbeTlsClient.completable(e.accepted().stream().map(CipherSuites::byCode).flatMap(java.util.Optional::stream)
                .toList(), false);
        if (suites.length == 0) {
            untested.accept(name + ": not tested: none of the server's " + e.version().displayName() + " suites is one the "
                    + "JDK's or BouncyCastle's TLS completes (" + e.accepted().stream().limit(3).map(CipherSuites::nameOf)
                    .collect(Collectors.joining(", ")) + ")");
            return null;
        }
        byte[] pinned;
        try {
            pinned = leaf.getEncoded();
        } catch (java.security.cert.CertificateEncodingException x) {
            untested.accept(name + ": the leaf seen before cannot be encoded: " + x.getMessage());
            return null;
        }
        StringBuilder why = new StringBuilder();
        HelloExchange.Connected<Exposure> r = exchange.connect((c, deadline) -> {
            Socket raw = c.socket();
            raw.setSoTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(), 10_000)));
            ProbeTlsClient client = new ProbeTlsClient(e.version(), suites, exchange.target().sniName(), pinned, false);
            RenegotiatingTlsProtocol p = new RenegotiatingTlsProtocol(raw.getInputStream(), raw.getOutputStream());
            try {
                p.connect(client);
            } catch (IOException | RuntimeException x) {
                why.append("the first handshake (").append(e.version().displayName()).append(", BouncyCastle) failed: ")
                        .append(x.getMessage());
                return null;
            }
            int suite = client.selectedSuite();
            List<Integer> offer = new java.util.ArrayList<>(List.of(suite));
            e.accepted().stream().filter(s -> s != suite).limit(Offers.CHUNK - 1).forEach(offer::add);
            boolean ecdhe = CipherSuites.byCode(suite).map(s -> s.keyExchange() == CipherSuite.KeyExchange.ECDHE).orElse(false);
            try {
                p.sendRenegotiationHello(e.version().wire(), offer, ecdhe ? Offers.ecGroups() : List.of());
            } catch (IOException x) {
                why.append("the renegotiation ClientHello could not be sent: ").append(x.getMessage());
                return null;
            }
            raw.setSoTimeout(exchange.reactionMillis());
            String version = e.version().displayName();
            try {
                int b = p.getInputStream().read();
                if (p.answered() < 0 && b < 0) return Exposure.notVulnerable("closed the connection on a client-initiated "
                        + "renegotiation ClientHello (" + version + ")");
            } catch (IOException x) {
                if (p.answered() < 0 && p.warning() < 0 && !(x instanceof SocketTimeoutException)) {
                    return Exposure.notVulnerable("refused a client-initiated renegotiation (" + version + ": " + x.getMessage() + ")");
                }
            }
            if (p.answered() == org.bouncycastle.tls.HandshakeType.server_hello) {
                return Exposure.vulnerable("answered a client-initiated renegotiation ClientHello with a ServerHello ("
                        + version + ", on the established connection)");
            }
            if (p.answered() >= 0) {
                why.append("answered the renegotiation ClientHello with ")
                        .append(org.bouncycastle.tls.HandshakeType.getText(p.answered()));
                return null;
            }
            if (p.warning() >= 0) {
                return Exposure.notVulnerable("refused a client-initiated renegotiation with warning alert "
                        + org.bouncycastle.tls.AlertDescription.getText(p.warning()) + " (" + version + ")");
            }
            return Exposure.notVulnerable("did not answer a client-initiated renegotiation ClientHello within "
                    + exchange.reactionMillis() + " ms (" + version + ")");
        });
        return HelloExchange.settle(r, name, why, untested);
    }

    /**
     * The probes' JSSE client socket: these protocols (null: the context's), these suites, and SNI exactly as the
     * target has it (none for an IP address).
     */
    static void configure(SSLSocket ssl, String[] protocols, String[] suites, ProbeTarget target) {
        SSLParameters p = ssl.getSSLParameters();
        if (protocols != null) p.setProtocols(protocols);
        p.setCipherSuites(suites);
        target.sniName().ifPresentOrElse(n -> p.setServerNames(List.of(new SNIHostName(n))), () -> p.setServerNames(List.of()));
        ssl.setSSLParameters(p);
    }

    /** Trusts exactly one leaf, the one the plaintext probes recorded: a probe handshake, not authentication. */
    static final class PinnedLeaf extends ServerOnlyTrustManager {
        private final X509Certificate leaf;

        PinnedLeaf(X509Certificate leaf) {
            super("a probe accepts no clients");
            this.leaf = leaf;
        }

        private void check(X509Certificate[] certs) throws CertificateException {
            if (certs == null || certs.length == 0 || !certs[0].equals(leaf)) {
                throw new CertificateException("doublelock probe: not the certificate the server showed before");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
            check(certs);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
            check(certs);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            check(certs);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
