package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the server's plaintext handshake messages (bodies without the 4-byte handshake header). */
final class HandshakeParser {
    static final int MAX_CERTIFICATES = 20;

    private HandshakeParser() {
    }

    static ServerHello serverHello(byte[] body) throws MalformedMessageException {
        ByteCursor c = new ByteCursor(body);
        int legacy = c.u16("ServerHello.server_version");
        byte[] random = c.bytes(32, "ServerHello.random");
        int sidLen = c.u8("ServerHello.session_id length");
        if (sidLen > 32) throw new MalformedMessageException("ServerHello.session_id longer than 32 bytes: " + sidLen);
        byte[] sessionId = c.bytes(sidLen, "ServerHello.session_id");
        int suite = c.u16("ServerHello.cipher_suite");
        int compression = c.u8("ServerHello.compression_method");
        Map<Integer, byte[]> ext = new LinkedHashMap<>();
        if (c.remaining() > 0) {
            ByteCursor e = c.slice(c.u16("ServerHello.extensions length"), "ServerHello.extensions");
            while (e.remaining() > 0) {
                int type = e.u16("extension type");
                byte[] data = e.bytes(e.u16("extension length"), "extension data");
                if (ext.putIfAbsent(type, data) != null) {
                    throw new MalformedMessageException("ServerHello repeats extension " + type);
                }
            }
        }
        int version = legacy;
        byte[] sv = ext.get(ClientHelloWriter.EXT_SUPPORTED_VERSIONS);
        if (sv != null) {
            if (sv.length != 2) throw new MalformedMessageException("supported_versions in ServerHello must be 2 bytes");
            version = ((sv[0] & 0xFF) << 8) | (sv[1] & 0xFF);
        }
        return new ServerHello(legacy, version, suite, compression, ext, Arrays.equals(random, ServerHello.HRR_RANDOM),
                ServerHello.downgradeSentinel(random), sessionId);
    }

    /** TLS ≤ 1.2 Certificate: certificate_list of 3-byte-length DER blobs, leaf first. */
    static List<X509Certificate> certificates(byte[] body) throws MalformedMessageException {
        ByteCursor c = new ByteCursor(body);
        ByteCursor list = c.slice(c.u24("Certificate.certificate_list length"), "Certificate.certificate_list");
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (list.remaining() > 0) {
                if (out.size() >= MAX_CERTIFICATES) {
                    throw new MalformedMessageException("more than " + MAX_CERTIFICATES + " certificates in the chain");
                }
                byte[] der = list.bytes(list.u24("certificate length"), "certificate");
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new MalformedMessageException("certificate " + out.size() + " is not DER X.509: " + e.getMessage());
        }
        return out;
    }

    /** ServerKeyExchange parameters, read according to the chosen suite's key exchange. */
    static ServerKeyExchange serverKeyExchange(byte[] body, CipherSuite suite) throws MalformedMessageException {
        ByteCursor c = new ByteCursor(body);
        switch (suite.keyExchange()) {
            case DHE_PSK, ECDHE_PSK -> c.bytes(c.u16("psk_identity_hint length"), "psk_identity_hint");
            default -> { }
        }
        return switch (suite.keyExchange()) {
            case ECDHE, ECDH, ECDHE_PSK -> {
                int curveType = c.u8("ECParameters.curve_type");
                if (curveType != 3) yield ServerKeyExchange.other(); // explicit curves: no name to report
                yield ServerKeyExchange.curve(c.u16("ECParameters.namedcurve"));
            }
            case DHE, DH, DHE_PSK -> {
                byte[] p = c.bytes(c.u16("dh_p length"), "dh_p");
                c.bytes(c.u16("dh_g length"), "dh_g");
                c.bytes(c.u16("dh_Ys length"), "dh_Ys");
                yield ServerKeyExchange.dh(p);
            }
            default -> ServerKeyExchange.other();
        };
    }

    /** Alert description names (RFC 8446 §6, RFC 5246 §7.2). */
    static String alertName(int description) {
        return switch (description) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 21 -> "decryption_failed";
            case 22 -> "record_overflow";
            case 30 -> "decompression_failure";
            case 40 -> "handshake_failure";
            case 41 -> "no_certificate";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 60 -> "export_restriction";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 100 -> "no_renegotiation";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 120 -> "no_application_protocol";
            default -> "alert_" + description;
        };
    }
}
