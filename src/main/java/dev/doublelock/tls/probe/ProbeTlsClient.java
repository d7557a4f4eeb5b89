package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.TlsVersion;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsDHGroupVerifier;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Vector;

/**
 * BouncyCastle's low-level TLS client as the probes drive it, for handshakes the JDK's TLS will not do (TLS 1.0/1.1,
 * static RSA, NULL, CCM, brainpool and P-224 curves) and for what JSSE hides (the session ID, the RFC 5077 ticket). It
 * trusts exactly the leaf the plaintext probes saw ({@code pinnedLeaf}; null: only anonymous suites are offered and no
 * certificate is acceptable), so it authenticates nothing and is never used to send data: a probe of the server, in
 * this probe's process only. One version, the given suites, every group BouncyCastle has, any DH group.
 */
class ProbeTlsClient extends DefaultTlsClient {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NONE = new byte[0];

    private final ProtocolVersion version;
    private final int[] suites;
    private final Optional<String> sni;
    private final byte[] pinnedLeaf;
    private final boolean askForTicket;
    private volatile byte[] sessionId = NONE;
    private volatile byte[] ticket;
    private volatile int selected = -1;

    ProbeTlsClient(TlsVersion version, int[] suites, Optional<String> sni, byte[] pinnedLeaf, boolean askForTicket) {
        super(new BcTlsCrypto(RANDOM));
        this.version = protocolVersion(version);
        this.suites = suites.clone();
        this.sni = sni;
        this.pinnedLeaf = pinnedLeaf == null ? null : pinnedLeaf.clone();
        this.askForTicket = askForTicket;
    }

    static ProtocolVersion protocolVersion(TlsVersion v) {
        return switch (v) {
            case TLS_1_0 -> ProtocolVersion.TLSv10;
            case TLS_1_1 -> ProtocolVersion.TLSv11;
            default -> ProtocolVersion.TLSv12;
        };
    }

    /** Of {@code codes}, those this client completes with its crypto (anonymous ones only if {@code anonymous}). */
    static int[] completable(java.util.List<CipherSuite> suites, boolean anonymous) {
        // cheapest key exchange first (a probe's handshake should cost little): ECDHE, static RSA, then DHE
        int[] codes = suites.stream().filter(anonymous ? ProbeTlsClient::anonymousSuite : ProbeTlsClient::certificateSuite)
                .sorted(java.util.Comparator.comparingInt(s -> switch (s.keyExchange()) {
                    case ECDHE, ECDH -> 0;
                    case RSA -> 1;
                    default -> 2;
                }))
                .mapToInt(CipherSuite::code).toArray();
        return TlsUtils.getSupportedCipherSuites(new BcTlsCrypto(RANDOM), codes);
    }

    private static boolean anonymousSuite(CipherSuite s) {
        return s.anonymous() && (s.keyExchange() == CipherSuite.KeyExchange.DH || s.keyExchange() == CipherSuite.KeyExchange.ECDH);
    }

    private static boolean certificateSuite(CipherSuite s) {
        boolean kx = switch (s.keyExchange()) {
            case RSA, DHE, ECDHE -> true;
            default -> false;
        };
        boolean auth = switch (s.authentication()) {
            case RSA, DSS, ECDSA -> true;
            default -> false;
        };
        return kx && auth && !s.anonymous();
    }

    byte[] sessionId() {
        return sessionId.clone();
    }

    /** The RFC 5077 ticket the server issued, or null. */
    byte[] ticket() {
        return ticket == null ? null : ticket.clone();
    }

    int selectedSuite() {
        return selected;
    }

    @Override
    public ProtocolVersion[] getProtocolVersions() {
        return new ProtocolVersion[]{version};
    }

    @Override
    public int[] getCipherSuites() {
        return suites.clone();
    }

    @Override
    protected Vector getSNIServerNames() {
        return sni.map(n -> {
            Vector<ServerName> v = new Vector<>();
            v.add(new ServerName(NameType.host_name, n.getBytes(StandardCharsets.US_ASCII)));
            return v;
        }).orElse(null);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable ext = super.getClientExtensions();
        if (ext == null) ext = new Hashtable();
        if (askForTicket) ext.put(ExtensionType.session_ticket, TlsUtils.EMPTY_BYTES); // RFC 5077 §3.2
        else ext.remove(ExtensionType.session_ticket);
        // not asked for: some servers echo encrypt_then_mac on a NULL-cipher suite, which BouncyCastle refuses
        ext.remove(ExtensionType.encrypt_then_mac);
        return ext;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Vector getSupportedGroups(Vector roles) {
        // every curve and FFDHE group BouncyCastle has (P-224, brainpool, P-521 too): whatever the server picked
        Vector groups = new Vector();
        for (int g = 1; g <= 0x0104; g++) {
            if ((g < 0x0100 && g > 33) || !NamedGroup.canBeNegotiated(g, version)) continue;
            if (getCrypto().hasNamedGroup(g)) groups.add(g);
        }
        return groups;
    }

    @Override
    public TlsDHGroupVerifier getDHGroupVerifier() {
        // any group the server uses: the probe sends no data, and the policy judges the DH size from the enumeration
        return group -> group.getP().bitLength() >= 512;
    }

    @Override
    public void notifySelectedCipherSuite(int suite) {
        super.notifySelectedCipherSuite(suite);
        selected = suite;
    }

    @Override
    public void notifySessionID(byte[] id) {
        sessionId = id == null ? NONE : id.clone();
    }

    @Override
    public void notifyNewSessionTicket(NewSessionTicket t) {
        ticket = t.getTicket() == null || t.getTicket().length == 0 ? null : t.getTicket().clone();
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate sc) throws IOException {
                var cert = sc.getCertificate();
                if (pinnedLeaf == null || cert == null || cert.isEmpty()
                        || !Arrays.equals(cert.getCertificateAt(0).getEncoded(), pinnedLeaf)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate); // not the leaf seen before
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return null;
            }
        };
    }
}
