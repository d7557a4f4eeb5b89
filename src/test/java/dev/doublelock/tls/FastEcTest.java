package dev.doublelock.tls;

import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FastEc} must compute exactly what the JDK's SunEC computes: the same ECDH secrets, signatures each
 * side accepts from the other, the same refusals; and the JDK's TLS must run on it.
 */
class FastEcTest {
    private static final Provider FAST = new FastEc();
    private static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void install() {
        assertThat(FastEc.install()).isTrue();
    }

    private static KeyPair keys(String provider, String curve) throws Exception {
        KeyPairGenerator g = provider.equals(FastEc.NAME) ? KeyPairGenerator.getInstance("EC", FAST)
                : KeyPairGenerator.getInstance("EC", provider);
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static byte[] ecdh(String provider, KeyPair mine, PublicKey theirs) throws Exception {
        KeyAgreement ka = provider.equals(FastEc.NAME) ? KeyAgreement.getInstance("ECDH", FAST)
                : KeyAgreement.getInstance("ECDH", provider);
        ka.init(mine.getPrivate());
        ka.doPhase(theirs, true);
        return ka.generateSecret();
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void ecdhAgreesWithSunEcWhicheverSideMadeTheKeys(String curve) throws Exception {
        int fieldBytes = switch (curve) { case "secp256r1" -> 32; case "secp384r1" -> 48; default -> 66; };
        int leadingZero = 0;
        // on P-256 go on until two secrets began with a zero byte (1 in 256 does), which must keep their length
        int rounds = curve.equals("secp256r1") ? 20_000 : 40;
        for (int i = 0; i < rounds && leadingZero < 2; i++) {
            KeyPair ours = keys(FastEc.NAME, curve);
            KeyPair theirs = keys("SunEC", curve);
            byte[] fast = ecdh(FastEc.NAME, ours, theirs.getPublic());
            byte[] sun = ecdh("SunEC", theirs, ours.getPublic());
            byte[] fastWithSunKeys = ecdh(FastEc.NAME, theirs, ours.getPublic());
            assertThat(fast).hasSize(fieldBytes).isEqualTo(sun).isEqualTo(fastWithSunKeys);
            if (fast[0] == 0) leadingZero++;
        }
        if (curve.equals("secp256r1")) {
            assertThat(leadingZero).as("secrets with a leading zero byte seen").isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void signaturesCrossVerifyWithSunEc(String curve) throws Exception {
        String alg = switch (curve) { case "secp256r1" -> "SHA256withECDSA"; case "secp384r1" -> "SHA384withECDSA"; default -> "SHA512withECDSA"; };
        for (int i = 0; i < 20; i++) {
            KeyPair pair = keys(i % 2 == 0 ? FastEc.NAME : "SunEC", curve);
            byte[] message = new byte[1 + RANDOM.nextInt(300)];
            RANDOM.nextBytes(message);

            Signature fastSign = Signature.getInstance(alg, FAST);
            fastSign.initSign(pair.getPrivate());
            fastSign.update(message);
            byte[] bySelf = fastSign.sign();
            Signature sunSign = Signature.getInstance(alg, "SunEC");
            sunSign.initSign(pair.getPrivate());
            sunSign.update(message);
            byte[] bySun = sunSign.sign();

            assertThat(verify(alg, "SunEC", pair.getPublic(), message, bySelf)).isTrue();
            assertThat(verify(alg, FastEc.NAME, pair.getPublic(), message, bySun)).isTrue();
            assertThat(verify(alg, FastEc.NAME, pair.getPublic(), message, bySelf)).isTrue();

            byte[] other = message.clone();
            other[0] ^= 1;
            assertThat(verify(alg, FastEc.NAME, pair.getPublic(), other, bySun)).isFalse();
            assertThat(verify(alg, "SunEC", pair.getPublic(), other, bySelf)).isFalse();
        }
    }

    private static boolean verify(String alg, String provider, PublicKey key, byte[] message, byte[] sig) throws Exception {
        Signature v = provider.equals(FastEc.NAME) ? Signature.getInstance(alg, FAST) : Signature.getInstance(alg, provider);
        v.initVerify(key);
        v.update(message);
        return v.verify(sig);
    }

    @Test
    void malformedSignatureIsASignatureException() throws Exception {
        KeyPair pair = keys(FastEc.NAME, "secp256r1");
        Signature v = Signature.getInstance("SHA256withECDSA", FAST);
        v.initVerify(pair.getPublic());
        v.update(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> v.verify(new byte[] {0x30, 0x03, 0x02, 0x01})).isInstanceOf(SignatureException.class);
    }

    @Test
    void aPointOffTheCurveIsRefused() throws Exception {
        KeyPair mine = keys(FastEc.NAME, "secp256r1");
        ECParameterSpec params = ((ECPublicKey) mine.getPublic()).getParams();
        ECPublicKey offCurve = new ECPublicKey() {
            @Override public ECPoint getW() { return new ECPoint(BigInteger.ONE, BigInteger.TWO); }
            @Override public ECParameterSpec getParams() { return params; }
            @Override public String getAlgorithm() { return "EC"; }
            @Override public String getFormat() { return null; }
            @Override public byte[] getEncoded() { return null; }
        };
        KeyAgreement ka = KeyAgreement.getInstance("ECDH", FAST);
        ka.init(mine.getPrivate());
        assertThatThrownBy(() -> ka.doPhase(offCurve, true)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void otherCurvesAreLeftToTheNextProvider() throws Exception {
        KeyPairGenerator bc = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        bc.initialize(new ECGenParameterSpec("brainpoolP256r1"));
        KeyPair brainpool = bc.generateKeyPair();
        assertThatThrownBy(() -> Signature.getInstance("SHA256withECDSA", FAST).initSign(brainpool.getPrivate()))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> KeyAgreement.getInstance("ECDH", FAST).init(brainpool.getPrivate()))
                .isInstanceOf(InvalidKeyException.class);
        // without a named provider the JCA moves on to one that knows the curve
        Signature any = Signature.getInstance("SHA256withECDSA");
        any.initSign(brainpool.getPrivate());
        assertThat(any.getProvider().getName()).isNotEqualTo(FastEc.NAME);
    }

    @Test
    void installedFirstForTheServicesTlsUses() throws Exception {
        assertThat(java.security.Security.getProviders()[0].getName()).isEqualTo(FastEc.NAME);
        KeyPair pair = keys("SunEC", "secp256r1");
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(pair.getPrivate());
        assertThat(s.getProvider().getName()).isEqualTo(FastEc.NAME);
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(pair.getPrivate());
        assertThat(ka.getProvider().getName()).isEqualTo(FastEc.NAME);
        assertThat(KeyPairGenerator.getInstance("EC").getProvider().getName()).isEqualTo(FastEc.NAME);
        // everything else stays with the JDK
        assertThat(javax.crypto.Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(FastEc.install()).isTrue();
        assertThat(java.util.Arrays.stream(java.security.Security.getProviders()).filter(p -> p.getName().equals(FastEc.NAME)))
                .hasSize(1);
    }

    @Test
    void x25519AgreesWithSunEcAndItsKeysEncodeAsRfc8410Says() throws Exception {
        java.security.KeyFactory sunXdh = java.security.KeyFactory.getInstance("XDH", "SunEC");
        for (int i = 0; i < 200; i++) {
            KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH", FAST);
            ours.initialize(java.security.spec.NamedParameterSpec.X25519);
            KeyPair a = ours.generateKeyPair();
            KeyPair b = KeyPairGenerator.getInstance("X25519", "SunEC").generateKeyPair();
            byte[] fast = xdh(FAST, a.getPrivate(), b.getPublic());
            byte[] sun = xdh(java.security.Security.getProvider("SunEC"), b.getPrivate(), a.getPublic());
            byte[] fastOnSunKeys = xdh(FAST, b.getPrivate(), a.getPublic());
            assertThat(fast).hasSize(32).isEqualTo(sun).isEqualTo(fastOnSunKeys);
            // the encodings are the standard ones: the JDK reads them back to the same key
            var pub = (java.security.interfaces.XECPublicKey) sunXdh.generatePublic(
                    new java.security.spec.X509EncodedKeySpec(a.getPublic().getEncoded()));
            assertThat(pub.getU()).isEqualTo(((java.security.interfaces.XECPublicKey) a.getPublic()).getU());
            var priv = (java.security.interfaces.XECPrivateKey) sunXdh.generatePrivate(
                    new java.security.spec.PKCS8EncodedKeySpec(a.getPrivate().getEncoded()));
            assertThat(priv.getScalar()).hasValueSatisfying(k ->
                    assertThat(k).isEqualTo(((java.security.interfaces.XECPrivateKey) a.getPrivate()).getScalar().orElseThrow()));
        }
    }

    private static byte[] xdh(Provider p, java.security.PrivateKey mine, PublicKey theirs) throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance("XDH", p);
        ka.init(mine);
        ka.doPhase(theirs, true);
        return ka.generateSecret();
    }

    @Test
    void x25519RefusesSmallOrderPointsAndLeavesX448ToTheJdk() throws Exception {
        KeyPair mine = KeyPairGenerator.getInstance("X25519", FAST).generateKeyPair();
        java.security.KeyFactory sunXdh = java.security.KeyFactory.getInstance("XDH", "SunEC");
        for (BigInteger u : List.of(BigInteger.ZERO, BigInteger.ONE)) { // points of order 4 and 1 (RFC 7748 section 6.1)
            PublicKey small = sunXdh.generatePublic(new java.security.spec.XECPublicKeySpec(
                    java.security.spec.NamedParameterSpec.X25519, u));
            KeyAgreement ka = KeyAgreement.getInstance("XDH", FAST);
            ka.init(mine.getPrivate());
            assertThatThrownBy(() -> ka.doPhase(small, true)).isInstanceOf(InvalidKeyException.class);
        }
        KeyPair x448 = KeyPairGenerator.getInstance("X448", "SunEC").generateKeyPair();
        assertThatThrownBy(() -> KeyAgreement.getInstance("XDH", FAST).init(x448.getPrivate()))
                .isInstanceOf(InvalidKeyException.class);
        KeyAgreement any = KeyAgreement.getInstance("XDH");
        any.init(x448.getPrivate());
        assertThat(any.getProvider().getName()).isEqualTo("SunEC");
        KeyPairGenerator anyGen = KeyPairGenerator.getInstance("XDH");
        anyGen.initialize(java.security.spec.NamedParameterSpec.X448);
        assertThat(anyGen.generateKeyPair().getPublic().getEncoded()).hasSize(68);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1", "x25519"})
    void jdkTlsHandshakesOverLoopbackRunOnIt(String curve) throws Exception {
        CertifiedKey ca = new CertificateBuilder().ecdsa("secp384r1").subject("CN=FastEc test CA").certificateAuthority(0).build();
        CertifiedKey leaf = new CertificateBuilder().ecdsa(curve.startsWith("x") ? "secp256r1" : curve).subject("CN=localhost").dnsNames("localhost").issuer(ca).build();
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(new javax.net.ssl.KeyManager[] {leaf.keyManager()}, null, null);
        SSLContext client = PkixTrust.clientContext(List.of(ca.leaf()));
        // TLS 1.2 would need the certificate's curve among the offered groups: x25519 alone is for TLS 1.3
        for (String protocol : curve.startsWith("x") ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2")) {
            try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory()
                    .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                SSLParameters sp = ss.getSSLParameters();
                sp.setNamedGroups(new String[] {curve});
                sp.setProtocols(new String[] {protocol});
                ss.setSSLParameters(sp);
                ss.setSoTimeout(10_000);
                CompletableFuture<Integer> echoed = CompletableFuture.supplyAsync(() -> {
                    try (SSLSocket s = (SSLSocket) ss.accept()) {
                        s.setSoTimeout(10_000);
                        InputStream in = s.getInputStream();
                        int b = in.read();
                        s.getOutputStream().write(b + 1);
                        s.getOutputStream().flush();
                        return b;
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket()) {
                    c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()), 10_000);
                    c.setSoTimeout(10_000);
                    SSLParameters cp = c.getSSLParameters();
                    cp.setNamedGroups(new String[] {curve});
                    cp.setEndpointIdentificationAlgorithm("HTTPS");
                    c.setSSLParameters(cp);
                    c.startHandshake();
                    assertThat(c.getSession().getProtocol()).isEqualTo(protocol);
                    OutputStream out = c.getOutputStream();
                    out.write(41);
                    out.flush();
                    assertThat(c.getInputStream().read()).isEqualTo(42);
                }
                assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(41);
            }
        }
    }
}
