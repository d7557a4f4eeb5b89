package dev.doublelock.tls.probe;

import dev.doublelock.tls.CertificateMessage;
import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads the server's first flight after a ClientHello, record by record, up to ServerHelloDone (TLS ≤ 1.2),
 * the ServerHello of TLS 1.3, a HelloRetryRequest, an alert, EOF or the deadline. Everything is bounded:
 * record length, handshake message length and total bytes.
 */
final class ServerFlightReader {
    static final int MAX_RECORD = (1 << 14) + 2048;
    static final int MAX_HANDSHAKE_MESSAGE = 64 * 1024;
    static final int MAX_FLIGHT = 128 * 1024;

    private final DeadlineInputStream in;
    private final ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    private int consumed;
    private int total;
    private ServerHello hello;
    private List<X509Certificate> chain = List.of();
    private boolean certificateSeen;
    private boolean helloDone;
    private Optional<ServerKeyExchange> keyExchange = Optional.empty();
    private Optional<byte[]> ocspStaple = Optional.empty();
    private boolean abbreviated;

    private ServerFlightReader(DeadlineInputStream in) {
        this.in = in;
    }

    static ServerReply read(DeadlineInputStream in) {
        return new ServerFlightReader(in).run();
    }

    private ServerReply run() {
        try {
            while (true) {
                ServerReply done = nextRecord();
                if (done != null) return done;
            }
        } catch (MalformedMessageException e) {
            return hello != null ? answered() : new ServerReply.Failed("malformed answer: " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return hello != null ? answered() : new ServerReply.Failed("no TLS answer in time (" + e.getMessage() + ")");
        } catch (EOFException e) {
            return hello != null ? answered()
                    : total == 0 ? new ServerReply.Refused("closed the connection")
                    : new ServerReply.Failed("connection closed mid-record: " + e.getMessage());
        } catch (SocketException e) {
            return hello != null ? answered() : new ServerReply.Refused("connection reset (" + e.getMessage() + ")");
        } catch (IOException e) {
            return hello != null ? answered() : new ServerReply.Failed("I/O error: " + e);
        }
    }

    private ServerReply answered() {
        CertificateMessage.Kind certificate = certificateSeen
                ? (chain.isEmpty() ? CertificateMessage.Kind.EMPTY_LIST : CertificateMessage.Kind.PRESENT)
                : helloDone ? CertificateMessage.Kind.ABSENT : CertificateMessage.Kind.NOT_OBSERVED;
        return new ServerReply.Answered(hello, chain, keyExchange, certificate, ocspStaple, abbreviated);
    }

    private ServerReply nextRecord() throws IOException {
        int first = in.read();
        if (first < 0) throw new EOFException("end of stream");
        byte[] rest = in.readExactly(4);
        int type = first;
        int length = ((rest[2] & 0xFF) << 8) | (rest[3] & 0xFF);
        if (type < 20 || type > 24 || rest[0] != 3) {
            byte[] head = {(byte) first, rest[0], rest[1], rest[2], rest[3]};
            throw new MalformedMessageException("not a TLS record (first bytes " + HexFormat.of().formatHex(head) + ")");
        }
        if (length > MAX_RECORD) {
            throw new MalformedMessageException("record length " + length + " exceeds " + MAX_RECORD);
        }
        total += 5 + length;
        if (total > MAX_FLIGHT) {
            throw new MalformedMessageException("server flight exceeds " + MAX_FLIGHT + " bytes");
        }
        byte[] payload = in.readExactly(length);
        return switch (type) {
            case 21 -> alert(payload);
            case 22 -> handshake(payload);
            case 20 -> changeCipherSpec();
            default -> hello != null ? answered()
                    : new ServerReply.Failed("encrypted or heartbeat record before ServerHello (type " + type + ")");
        };
    }

    /**
     * ChangeCipherSpec: in TLS 1.3 middlebox compatibility, ignored; in TLS ≤ 1.2 before ServerHelloDone, the
     * abbreviated handshake of a resumed session (RFC 5246 §7.3): what follows is encrypted, so the flight ends here.
     */
    private ServerReply changeCipherSpec() {
        if (hello == null || hello.version() >= 0x0304 || helloDone) return null;
        abbreviated = true;
        return answered();
    }

    private ServerReply alert(byte[] payload) throws MalformedMessageException {
        if (payload.length < 2) throw new MalformedMessageException("alert record of " + payload.length + " bytes");
        int level = payload[0] & 0xFF;
        int description = payload[1] & 0xFF;
        if (level == 1 && description != 0) return null; // warning (e.g. unrecognized_name): keep reading
        String name = HandshakeParser.alertName(description);
        return hello != null ? answered() : new ServerReply.Refused("alert " + name);
    }

    private ServerReply handshake(byte[] payload) throws MalformedMessageException {
        handshake.writeBytes(payload);
        byte[] buf = handshake.toByteArray();
        while (buf.length - consumed >= 4) {
            int msgType = buf[consumed] & 0xFF;
            int len = ((buf[consumed + 1] & 0xFF) << 16) | ((buf[consumed + 2] & 0xFF) << 8) | (buf[consumed + 3] & 0xFF);
            if (len > MAX_HANDSHAKE_MESSAGE) {
                throw new MalformedMessageException("handshake message of " + len + " bytes exceeds " + MAX_HANDSHAKE_MESSAGE);
            }
            if (buf.length - consumed - 4 < len) break;
            byte[] body = Arrays.copyOfRange(buf, consumed + 4, consumed + 4 + len);
            consumed += 4 + len;
            ServerReply done = message(msgType, body);
            if (done != null) return done;
        }
        return null;
    }

    private ServerReply message(int type, byte[] body) throws MalformedMessageException {
        if (hello == null && type != 2) {
            throw new MalformedMessageException("handshake message " + type + " before ServerHello");
        }
        switch (type) {
            case 2 -> {
                hello = HandshakeParser.serverHello(body);
                if (hello.helloRetryRequest() || hello.version() >= 0x0304) return answered();
            }
            case 11 -> {
                chain = HandshakeParser.certificates(body);
                certificateSeen = true;
            }
            case 12 -> {
                Optional<CipherSuite> suite = CipherSuites.byCode(hello.cipherSuite());
                if (suite.isPresent()) keyExchange = Optional.of(HandshakeParser.serverKeyExchange(body, suite.get()));
            }
            case 22 -> ocspStaple = certificateStatus(body);
            case 14 -> {
                helloDone = true; // RFC 5246 §7.4.5: the server's flight is complete; a Certificate came before it or not at all
                return answered();
            }
            default -> { } // CertificateRequest, ...: not needed
        }
        return null;
    }

    /** RFC 6066 §8 CertificateStatus: status_type ocsp(1), then the DER OCSPResponse in a 24-bit vector. */
    private static Optional<byte[]> certificateStatus(byte[] body) {
        if (body.length < 4 || body[0] != 1) return Optional.empty(); // not an ocsp status (e.g. ocsp_multi): not read
        int len = ((body[1] & 0xFF) << 16) | ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
        // a vector that does not fill the message: handed on as it is, OcspStaple says it is unparseable
        return Optional.of(Arrays.copyOfRange(body, 4, Math.min(body.length, 4 + len)));
    }
}
