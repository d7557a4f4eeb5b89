package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.probe.ClientHelloWriter.Bytes;
import org.bouncycastle.tls.crypto.DHStandardGroups;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsers and the hello writer on hand-built bytes. */
class HandshakeParserTest {
    @Test
    void serverHello_tls10WithExtensions() throws Exception {
        byte[] ext = new Bytes().ext(0xFF01, new byte[]{0}).ext(23, new byte[0]).toByteArray();
        ServerHello h = HandshakeParser.serverHello(CannedTlsServer.serverHelloBody(0x0301, 0x002F, 1, ext));
        assertThat(h.version()).isEqualTo(0x0301);
        assertThat(h.cipherSuite()).isEqualTo(0x002F);
        assertThat(h.compression()).isEqualTo(1);
        assertThat(h.secureRenegotiation()).isTrue();
        assertThat(h.has(23)).isTrue();
        assertThat(h.has(22)).isFalse();
        assertThat(h.helloRetryRequest()).isFalse();
    }

    @Test
    void serverHello_withoutExtensionsBlock() throws Exception {
        ServerHello h = HandshakeParser.serverHello(CannedTlsServer.serverHelloBody(0x0300, 0x000A, 0, null));
        assertThat(h.version()).isEqualTo(0x0300);
        assertThat(h.extensions()).isEmpty();
    }

    @Test
    void helloRetryRequest_versionAndGroupFromExtensions() throws Exception {
        byte[] ext = new Bytes().ext(43, new byte[]{3, 4}).ext(51, new byte[]{0, 24}).toByteArray();
        byte[] body = new Bytes().u16(0x0303).raw(ServerHello.HRR_RANDOM).u8(0).u16(0x1302).u8(0).vec16(ext).toByteArray();
        ServerHello h = HandshakeParser.serverHello(body);
        assertThat(h.helloRetryRequest()).isTrue();
        assertThat(h.version()).isEqualTo(0x0304);
        assertThat(h.keyShareGroup()).hasValue(24);
    }

    @Test
    void serverHello_malformed() {
        assertThatThrownBy(() -> HandshakeParser.serverHello(new byte[]{3, 3, 1})) // truncated random
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("random");
        byte[] dup = new Bytes().ext(23, new byte[0]).ext(23, new byte[0]).toByteArray();
        assertThatThrownBy(() -> HandshakeParser.serverHello(CannedTlsServer.serverHelloBody(0x0303, 0x2F, 0, dup)))
                .hasMessageContaining("repeats extension");
        byte[] sv = new Bytes().ext(43, new byte[]{3}).toByteArray(); // supported_versions of one byte
        assertThatThrownBy(() -> HandshakeParser.serverHello(CannedTlsServer.serverHelloBody(0x0303, 0x2F, 0, sv)))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void certificate_chainParsedAndGarbageRejected() throws Exception {
        TestCertificates c = TlsProberCannedTest.CERTS;
        assertThat(HandshakeParser.certificates(CannedTlsServer.certificateBody(c.certificate())))
                .containsExactly(c.certificate());
        byte[] junk = new Bytes().vec24(new Bytes().vec24(new byte[]{1, 2, 3}).toByteArray()).toByteArray();
        assertThatThrownBy(() -> HandshakeParser.certificates(junk)).hasMessageContaining("not DER X.509");
    }

    @Test
    void serverKeyExchange_ecdheNamedCurve() throws Exception {
        byte[] body = new Bytes().u8(3).u16(29).vec8(new byte[32]).u16(0x0401).vec16(new byte[8]).toByteArray();
        ServerKeyExchange ske = HandshakeParser.serverKeyExchange(body,
                CipherSuites.byName("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").orElseThrow());
        assertThat(ske.namedCurve()).hasValue(29);
        assertThat(ske.dhPrimeBits()).isEmpty();
    }

    @Test
    void serverKeyExchange_dhePrimeSizeAndRfc7919Recognised() throws Exception {
        byte[] p = DHStandardGroups.rfc7919_ffdhe3072.getP().toByteArray();
        byte[] body = new Bytes().vec16(p).vec16(new byte[]{2}).vec16(new byte[384]).toByteArray();
        ServerKeyExchange ske = HandshakeParser.serverKeyExchange(body,
                CipherSuites.byName("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256").orElseThrow());
        assertThat(ske.dhPrimeBits()).hasValue(3072);
        assertThat(FfdhePrimes.identify(new java.math.BigInteger(1, ske.dhPrime()))).hasValue(257);
        byte[] custom = new byte[128];
        custom[0] = (byte) 0xFF;
        custom[127] = 7;
        ServerKeyExchange small = HandshakeParser.serverKeyExchange(
                new Bytes().vec16(custom).vec16(new byte[]{2}).vec16(new byte[128]).toByteArray(),
                CipherSuites.byName("TLS_DHE_RSA_WITH_AES_128_CBC_SHA").orElseThrow());
        assertThat(small.dhPrimeBits()).hasValue(1024);
        assertThat(FfdhePrimes.identify(new java.math.BigInteger(1, small.dhPrime()))).isEmpty();
    }

    @Test
    void clientHello_recordShapeForSsl3AndTls13() throws Exception {
        byte[] ssl3 = ClientHelloWriter.record(ClientHello.of(TlsVersion.SSL_3_0, List.of(0x000A), List.of(), Optional.empty()));
        assertThat(ssl3[0]).isEqualTo((byte) 22);
        assertThat(new int[]{ssl3[1], ssl3[2]}).containsExactly(3, 0);
        ByteCursor c = new ByteCursor(ssl3);
        c.bytes(5, "header");
        assertThat(c.u8("type")).isEqualTo(1);
        c.u24("len");
        assertThat(c.u16("version")).isEqualTo(0x0300);
        c.bytes(32, "random");
        c.bytes(c.u8("sid"), "sid");
        assertThat(c.u16("suites length")).isEqualTo(4); // 3DES + renegotiation SCSV
        c.bytes(4, "suites");
        c.bytes(c.u8("compression"), "compression");
        assertThat(c.remaining()).isZero(); // no extensions in SSL 3.0

        byte[] tls13 = ClientHelloWriter.body(ClientHello.of(TlsVersion.TLS_1_3, List.of(0x1301), List.of(29), Optional.of("mx.example"))
                .withKeyShares(List.of(KeyShare.x25519())));
        assertThat(new int[]{tls13[0], tls13[1]}).containsExactly(3, 3); // legacy_version
        String hex = java.util.HexFormat.of().formatHex(tls13);
        assertThat(hex).contains("002b00030203" + "04"); // supported_versions: [TLS 1.3]
        assertThat(hex).contains(java.util.HexFormat.of().formatHex("mx.example".getBytes()));
    }

    @Test
    void registries_nameAndPropertyLookups() {
        var rc4 = CipherSuites.byCode(0x0005).orElseThrow();
        assertThat(rc4.name()).isEqualTo("TLS_RSA_WITH_RC4_128_SHA");
        assertThat(rc4.rc4()).isTrue();
        assertThat(rc4.forwardSecret()).isFalse();
        assertThat(rc4.minVersion()).isEqualTo(TlsVersion.SSL_3_0);
        var export = CipherSuites.byName("SSL_RSA_EXPORT_WITH_RC4_40_MD5").orElseThrow();
        assertThat(export.export()).isTrue();
        assertThat(export.mac()).isEqualTo("MD5");
        assertThat(export.maxVersion()).isEqualTo(TlsVersion.TLS_1_0);
        var gcm = CipherSuites.byName("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384").orElseThrow();
        assertThat(gcm.aead()).isTrue();
        assertThat(gcm.forwardSecret()).isTrue();
        assertThat(gcm.minVersion()).isEqualTo(TlsVersion.TLS_1_2);
        assertThat(CipherSuites.byCode(0xC0AD).orElseThrow().cipher()).isEqualTo("AES_256_CCM"); // ECDHE_ECDSA_WITH_AES_256_CCM
        assertThat(CipherSuites.byCode(0x1303).orElseThrow().keyExchange().name()).isEqualTo("TLS13");
        assertThat(CipherSuites.byName("TLS_DH_anon_WITH_AES_128_CBC_SHA").orElseThrow().anonymous()).isTrue();
        assertThat(CipherSuites.nameOf(0xFEFE)).isEqualTo("0xFEFE");
        assertThat(CipherSuites.offerableIn(TlsVersion.SSL_3_0)).noneMatch(s -> s.aead() || s.signalling());
        assertThat(CipherSuites.all()).hasSizeGreaterThan(340);
        assertThat(dev.doublelock.tls.NamedGroups.nameOf(0x11EC)).isEqualTo("X25519MLKEM768");
        assertThat(dev.doublelock.tls.NamedGroups.byName("prime256v1").orElseThrow().code()).isEqualTo(23);
        assertThat(dev.doublelock.tls.NamedGroups.byCode(258).orElseThrow().bits()).isEqualTo(4096);
    }
}
