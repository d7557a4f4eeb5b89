package dev.doublelock.tls.probe;

import dev.doublelock.tls.probe.ClientHelloWriter.Bytes;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.TlsClientProtocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * BouncyCastle's TLS client protocol, which itself never renegotiates, taught to send one renegotiation ClientHello on
 * an established TLS ≤ 1.2 connection (encrypted by its record layer, with the RFC 5746 renegotiation_info carrying the
 * client's verify_data) and to tell how the server answered: a handshake message (its ServerHello: it renegotiates),
 * a warning alert (no_renegotiation), or anything else. The probe stops there; no second handshake is completed.
 */
final class RenegotiatingTlsProtocol extends TlsClientProtocol {
    /** The server answered the renegotiation ClientHello with a handshake message of this type. */
    static final class Answered extends IOException {
        final short type;

        Answered(short type) {
            super("the server answered the renegotiation ClientHello with " + HandshakeType.getText(type));
            this.type = type;
        }
    }

    private volatile boolean renegotiating;
    private volatile short warning = -1;
    private volatile short answered = -1;

    RenegotiatingTlsProtocol(InputStream in, OutputStream out) {
        super(in, out);
    }

    /** Sends the renegotiation ClientHello: {@code version}, these suites, these EC groups (if any ECDHE suite). */
    void sendRenegotiationHello(int version, List<Integer> suites, List<Integer> groups) throws IOException {
        byte[] verifyData = getContext().getSecurityParametersConnection().getLocalVerifyData();
        byte[] random = new byte[32];
        ProbeTlsClient.RANDOM.nextBytes(random);
        Bytes ext = new Bytes().ext(ClientHelloWriter.EXT_RENEGOTIATION_INFO, new Bytes().vec8(verifyData).toByteArray());
        // RFC 7627 §5.3: a renegotiation of a session with extended master secret must ask for it again (OpenSSL aborts)
        ext.ext(ClientHelloWriter.EXT_EXTENDED_MASTER_SECRET, new byte[0]);
        if (!groups.isEmpty()) {
            ext.ext(ClientHelloWriter.EXT_SUPPORTED_GROUPS, new Bytes().vec16(Bytes.of(groups).toByteArray()).toByteArray());
            ext.ext(ClientHelloWriter.EXT_EC_POINT_FORMATS, new byte[]{1, 0});
        }
        if (version >= 0x0303) { // RFC 5246 §7.4.1.4.1
            List<Integer> algorithms = List.of(0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203);
            ext.ext(ClientHelloWriter.EXT_SIGNATURE_ALGORITHMS, new Bytes().vec16(Bytes.of(algorithms).toByteArray()).toByteArray());
        }
        byte[] body = new Bytes().u16(version).raw(random).u8(0).vec16(Bytes.of(suites).toByteArray()).u8(1).u8(0)
                .vec16(ext.toByteArray()).toByteArray();
        byte[] message = new Bytes().u8(HandshakeType.client_hello).vec24(body).toByteArray();
        renegotiating = true;
        safeWriteRecord(ContentType.handshake, message, 0, message.length);
    }

    /** The warning alert the server sent after the renegotiation hello (e.g. no_renegotiation), or -1. */
    short warning() {
        return warning;
    }

    /** The handshake message type the server answered the renegotiation hello with, or -1. */
    short answered() {
        return answered;
    }

    @Override
    protected void handleHandshakeMessage(short type, HandshakeMessageInput buf) throws IOException {
        if (renegotiating) {
            answered = type;
            throw new Answered(type);
        }
        super.handleHandshakeMessage(type, buf);
    }

    @Override
    protected void handleAlertWarningMessage(short description) throws IOException {
        if (renegotiating && description != AlertDescription.close_notify) {
            warning = description;
            return;
        }
        super.handleAlertWarningMessage(description);
    }
}
