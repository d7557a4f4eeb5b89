package dev.doublelock.smtp.client;

import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.EphemeralKeyRecorder;
import dev.doublelock.tls.NamedGroup;
import dev.doublelock.tls.NamedGroups;
import dev.doublelock.tls.TlsFailureClassifier;
import dev.doublelock.tls.TlsHandshakeResult;
import dev.doublelock.tls.TlsVersion;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsDHGroupVerifier;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsDHGroupVerifier;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsDHConfig;
import org.bouncycastle.tls.crypto.TlsDHDomain;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Vector;

/**
 * The client side of a {@link LegacyTlsConfig} handshake: Bouncy Castle's TLS protocol engine over the plain
 * socket, offering TLS 1.2 down to TLS 1.0 with ECDHE, DHE (groups of 1024 bit and more) and static-RSA suites
 * (AES-GCM and AES-CBC), under the same deadline as a JSSE handshake. The key-exchange group is recorded where the
 * engine sets it up (the crypto's EC/DH domain), the exact counterpart of {@link EphemeralKeyRecorder}.
 */
final class LegacyTlsHandshake {
    /** Private to this class: never added to {@code java.security.Security}, so no JDK default changes. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int[] SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
            CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
            CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA};

    private LegacyTlsHandshake() {
    }

    static TlsHandshake.Outcome run(Socket plain, LegacyTlsConfig config, Duration timeout) {
        RecordingCrypto crypto = new RecordingCrypto();
        try (WriteWatchdog.Guard guard = WriteWatchdog.arm(timeout, () -> closeQuietly(plain))) {
            plain.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            TlsClientProtocol protocol = new TlsClientProtocol(plain.getInputStream(), plain.getOutputStream());
            Client client = new Client(crypto, config);
            try {
                protocol.connect(client);
            } catch (IOException e) {
                if (guard.fired()) {
                    throw new java.net.SocketTimeoutException("TLS handshake not completed within " + timeout.toMillis() + " ms");
                }
                throw e;
            }
            TlsVersion version = version(client.context().getServerVersion());
            String suite = CipherSuites.nameOf(client.context().getSecurityParametersConnection().getCipherSuite());
            return new TlsHandshake.Outcome(new TlsHandshakeResult.Established(version, suite, config.sni(),
                    client.chain), new ProtocolSocket(plain, protocol), crypto.seen);
        } catch (IOException | RuntimeException e) {
            closeQuietly(plain);
            return new TlsHandshake.Outcome(classify(e), null, crypto.seen);
        }
    }

    private static TlsHandshakeResult.Failed classify(Exception e) {
        if (e instanceof TlsFatalAlertReceived r) {
            return new TlsHandshakeResult.Failed(AlertDescription.getName(r.getAlertDescription()), true, e.toString());
        }
        if (e instanceof TlsFatalAlert a) {
            Throwable cause = a.getCause() != null ? a.getCause() : a;
            return new TlsHandshakeResult.Failed(AlertDescription.getName(a.getAlertDescription()), false,
                    cause.getMessage() != null ? cause.getMessage() : a.toString());
        }
        return TlsFailureClassifier.classify(e);
    }

    private static TlsVersion version(ProtocolVersion v) throws TlsFatalAlert {
        return TlsVersion.fromWire(v.getFullVersion())
                .orElseThrow(() -> new TlsFatalAlert(AlertDescription.protocol_version));
    }

    /** The offer: TLS 1.2–1.0, the suites above that the crypto supports, SNI; the chain goes to the judge. */
    private static final class Client extends DefaultTlsClient {
        private final LegacyTlsConfig config;
        private volatile List<X509Certificate> chain = List.of();

        Client(RecordingCrypto crypto, LegacyTlsConfig config) {
            super(crypto);
            this.config = config;
        }

        org.bouncycastle.tls.TlsClientContext context() {
            return context;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv12.downTo(ProtocolVersion.TLSv10);
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
        }

        @Override
        protected Vector<ServerName> getSNIServerNames() {
            Vector<ServerName> names = new Vector<>();
            config.sni().ifPresent(n -> names.add(new ServerName(NameType.host_name, n.getBytes(StandardCharsets.US_ASCII))));
            return names.isEmpty() ? null : names;
        }

        @Override
        public TlsDHGroupVerifier getDHGroupVerifier() {
            // whatever can be spoken: the size is recorded and judged by the policy, not refused here
            return new DefaultTlsDHGroupVerifier(1024);
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    List<X509Certificate> certs = new ArrayList<>();
                    try {
                        CertificateFactory cf = CertificateFactory.getInstance("X.509");
                        org.bouncycastle.tls.Certificate c = serverCertificate.getCertificate();
                        for (int i = 0; i < c.getLength(); i++) {
                            certs.add((X509Certificate) cf.generateCertificate(
                                    new ByteArrayInputStream(c.getCertificateAt(i).getEncoded())));
                        }
                    } catch (CertificateException e) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, e);
                    }
                    chain = List.copyOf(certs);
                    try {
                        config.judge().judge(chain, version(context.getServerVersion()),
                                CipherSuites.nameOf(context.getSecurityParametersHandshake().getCipherSuite()));
                    } catch (CertificateException e) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, e);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                    return null;
                }
            };
        }
    }

    /** JCA crypto over the private provider that notes the key-exchange group the server chose. */
    private static final class RecordingCrypto extends JcaTlsCrypto {
        volatile EphemeralKeyRecorder.KeyExchange seen = EphemeralKeyRecorder.KeyExchange.UNKNOWN;

        RecordingCrypto() {
            super(new ProviderJcaJceHelper(BC), RANDOM, RANDOM);
        }

        @Override
        public TlsECDomain createECDomain(TlsECConfig ecConfig) {
            seen = new EphemeralKeyRecorder.KeyExchange(Optional.of(NamedGroups.nameOf(ecConfig.getNamedGroup())),
                    Optional.empty());
            return super.createECDomain(ecConfig);
        }

        @Override
        public TlsDHDomain createDHDomain(TlsDHConfig dhConfig) {
            if (dhConfig.getExplicitGroup() != null) {
                seen = new EphemeralKeyRecorder.KeyExchange(Optional.empty(),
                        Optional.of(dhConfig.getExplicitGroup().getP().bitLength()));
            } else {
                Optional<NamedGroup> g = NamedGroups.byCode(dhConfig.getNamedGroup());
                seen = new EphemeralKeyRecorder.KeyExchange(g.map(NamedGroup::name), g.map(NamedGroup::bits));
            }
            return super.createDHDomain(dhConfig);
        }
    }

    /**
     * The TLS connection as a {@link Socket} for the SMTP layer: application data through the protocol engine,
     * timeouts and closing through the TCP socket beneath.
     */
    private static final class ProtocolSocket extends Socket {
        private final Socket plain;
        private final TlsClientProtocol protocol;

        ProtocolSocket(Socket plain, TlsClientProtocol protocol) {
            this.plain = plain;
            this.protocol = protocol;
        }

        @Override
        public InputStream getInputStream() {
            return protocol.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() {
            return protocol.getOutputStream();
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            plain.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws SocketException {
            return plain.getSoTimeout();
        }

        @Override
        public void shutdownOutput() throws IOException {
            protocol.close();
        }

        @Override
        public boolean isClosed() {
            return plain.isClosed();
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                protocol.close();
            } finally {
                plain.close();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
