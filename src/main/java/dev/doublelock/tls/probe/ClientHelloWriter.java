package dev.doublelock.tls.probe;

import dev.doublelock.tls.TlsVersion;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * Writes a {@link ClientHello} as one TLS handshake record (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2). SSL 3.0
 * hellos carry no extensions (TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead); TLS hellos carry a broad
 * extension set so that old and new servers alike answer.
 */
final class ClientHelloWriter {
    static final int EXT_SERVER_NAME = 0, EXT_STATUS_REQUEST = 5, EXT_SUPPORTED_GROUPS = 10, EXT_EC_POINT_FORMATS = 11,
            EXT_SIGNATURE_ALGORITHMS = 13, EXT_HEARTBEAT = 15, EXT_PADDING = 21, EXT_ENCRYPT_THEN_MAC = 22,
            EXT_EXTENDED_MASTER_SECRET = 23, EXT_SESSION_TICKET = 35, EXT_SUPPORTED_VERSIONS = 43,
            EXT_PSK_KEY_EXCHANGE_MODES = 45, EXT_KEY_SHARE = 51, EXT_RENEGOTIATION_INFO = 0xFF01;
    static final int SCSV_RENEGOTIATION = 0x00FF;

    /** Broad on purpose: TLS 1.3 schemes, RSA-PSS, PKCS#1 v1.5, SHA-1, DSA, MD5. */
    private static final int[] SIGNATURE_ALGORITHMS = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808,
            0x0809, 0x080A, 0x080B, 0x081A, 0x081B, 0x081C, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402,
            0x0502, 0x0602, 0x0203, 0x0201, 0x0202, 0x0101};
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientHelloWriter() {
    }

    /** The complete record (header included). */
    static byte[] record(ClientHello hello) {
        byte[] body = body(hello);
        Bytes msg = new Bytes().u8(1).u24(body.length).raw(body);
        byte[] m = msg.toByteArray();
        int recordVersion = hello.version() == TlsVersion.SSL_3_0 ? 0x0300 : 0x0301;
        return new Bytes().u8(22).u16(recordVersion).u16(m.length).raw(m).toByteArray();
    }

    static byte[] body(ClientHello hello) {
        boolean tls13 = hello.version() == TlsVersion.TLS_1_3;
        boolean ssl3 = hello.version() == TlsVersion.SSL_3_0;
        int legacy = tls13 ? 0x0303 : hello.version().wire();
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        Bytes suites = new Bytes();
        hello.cipherSuites().forEach(suites::u16);
        if (ssl3) suites.u16(SCSV_RENEGOTIATION);
        Bytes b = new Bytes().u16(legacy).raw(random);
        if (tls13) { // middlebox compatibility mode: a 32-byte legacy_session_id
            byte[] sid = new byte[32];
            RANDOM.nextBytes(sid);
            b.u8(32).raw(sid);
        } else {
            b.vec8(hello.sessionId());
        }
        b.vec16(suites.toByteArray());
        if (hello.offerCompression()) b.u8(2).u8(1).u8(0); else b.u8(1).u8(0);
        if (!ssl3) {
            byte[] ext = extensions(hello, tls13, b.size());
            b.vec16(ext);
        }
        return b.toByteArray();
    }

    private static byte[] extensions(ClientHello hello, boolean tls13, int sizeSoFar) {
        Bytes e = new Bytes();
        hello.serverName().ifPresent(name -> {
            byte[] host = name.getBytes(StandardCharsets.US_ASCII);
            Bytes list = new Bytes().u8(0).vec16(host);
            e.ext(EXT_SERVER_NAME, new Bytes().vec16(list.toByteArray()).toByteArray());
        });
        if (!hello.groups().isEmpty()) {
            Bytes g = new Bytes();
            hello.groups().forEach(g::u16);
            e.ext(EXT_SUPPORTED_GROUPS, new Bytes().vec16(g.toByteArray()).toByteArray());
        }
        e.ext(EXT_EC_POINT_FORMATS, new byte[]{1, 0});
        Bytes sa = new Bytes();
        for (int s : SIGNATURE_ALGORITHMS) sa.u16(s);
        e.ext(EXT_SIGNATURE_ALGORITHMS, new Bytes().vec16(sa.toByteArray()).toByteArray());
        e.ext(EXT_RENEGOTIATION_INFO, new byte[]{0});
        e.ext(EXT_EXTENDED_MASTER_SECRET, new byte[0]);
        e.ext(EXT_ENCRYPT_THEN_MAC, new byte[0]);
        if (hello.sessionTicket() != null) e.ext(EXT_SESSION_TICKET, hello.sessionTicket());
        e.ext(EXT_STATUS_REQUEST, new byte[]{1, 0, 0, 0, 0});
        e.ext(EXT_HEARTBEAT, new byte[]{1});
        if (tls13) {
            e.ext(EXT_SUPPORTED_VERSIONS, new byte[]{2, 3, 4});
            e.ext(EXT_PSK_KEY_EXCHANGE_MODES, new byte[]{1, 1});
            Bytes shares = new Bytes();
            for (KeyShare k : hello.keyShares()) shares.u16(k.group()).vec16(k.keyExchange());
            e.ext(EXT_KEY_SHARE, new Bytes().vec16(shares.toByteArray()).toByteArray());
        }
        // Some servers (old F5 devices) hang on hellos of 256..511 bytes: pad to 512 (RFC 7685).
        int helloLen = 4 + sizeSoFar + 2 + e.size();
        if (helloLen >= 256 && helloLen < 512) {
            int pad = Math.max(1, 512 - helloLen - 4);
            e.ext(EXT_PADDING, new byte[pad]);
        }
        return e.toByteArray();
    }

    /** Tiny big-endian builder. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Bytes u24(int v) {
            out.write(v >>> 16);
            return u16(v & 0xFFFF);
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes vec8(byte[] b) {
            return u8(b.length).raw(b);
        }

        Bytes vec16(byte[] b) {
            return u16(b.length).raw(b);
        }

        Bytes vec24(byte[] b) {
            return u24(b.length).raw(b);
        }

        Bytes ext(int type, byte[] data) {
            return u16(type).vec16(data);
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        static Bytes of(List<Integer> u16s) {
            Bytes b = new Bytes();
            u16s.forEach(b::u16);
            return b;
        }
    }
}
