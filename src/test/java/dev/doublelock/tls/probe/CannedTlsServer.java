package dev.doublelock.tls.probe;

import dev.doublelock.tls.probe.ClientHelloWriter.Bytes;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A raw loopback server that reads one ClientHello record and answers with canned bytes chosen by a function
 * of (client_version, offered suites). Lets tests play a TLS 1.0 server without relaxing the JDK.
 */
final class CannedTlsServer implements AutoCloseable {
    private final ServerSocket listener;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final Function<Hello, byte[]> answer;
    private final java.util.function.Supplier<AfterHello> after;
    private final byte[] sslv2Answer;

    /** What the server answers to each record after its first flight (null: nothing). */
    interface AfterHello {
        byte[] on(int type, byte[] payload);
    }

    /**
     * What the server read of one ClientHello: legacy_version, suites, supported_groups and the groups of the
     * TLS 1.3 key_share entries (each empty if absent).
     */
    record Hello(int version, List<Integer> suites, List<Integer> groups, List<Integer> keyShares) {
    }

    CannedTlsServer(BiFunction<Integer, List<Integer>, byte[]> answer) throws IOException {
        this((Function<Hello, byte[]>) h -> answer.apply(h.version(), h.suites()));
    }

    CannedTlsServer(Function<Hello, byte[]> answer) throws IOException {
        this(answer, (type, payload) -> null, null);
    }

    /**
     * @param after       answers to the records that follow the ClientHello (heartbeats, ChangeCipherSpec, ...)
     * @param sslv2Answer sent to an SSLv2 CLIENT-HELLO; null: such a hello is treated like a broken TLS record
     */
    CannedTlsServer(Function<Hello, byte[]> answer, AfterHello after, byte[] sslv2Answer) throws IOException {
        this(answer, () -> after, sslv2Answer);
    }

    /** @param perConnection a fresh {@link AfterHello} for each connection, for servers with per-connection state */
    CannedTlsServer(Function<Hello, byte[]> answer, java.util.function.Supplier<AfterHello> perConnection, byte[] sslv2Answer)
            throws IOException {
        this.answer = answer;
        this.after = perConnection;
        this.sslv2Answer = sslv2Answer;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    pool.submit(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
            in.mark(1);
            int first = in.read();
            if (first >= 0 && (first & 0x80) != 0 && sslv2Answer != null) {
                s.getOutputStream().write(sslv2Answer);
                s.getOutputStream().flush();
                in.readAllBytes();
                return;
            }
            in.reset();
            byte[] header = in.readNBytes(5);
            byte[] record = in.readNBytes(((header[3] & 0xFF) << 8) | (header[4] & 0xFF));
            ByteCursor c = new ByteCursor(record);
            c.u8("type");
            c.u24("len");
            int version = c.u16("version");
            c.bytes(32, "random");
            c.bytes(c.u8("sid"), "sid");
            ByteCursor suites = c.slice(c.u16("suites"), "suites");
            List<Integer> offered = new ArrayList<>();
            while (suites.remaining() > 0) offered.add(suites.u16("suite"));
            c.bytes(c.u8("compression"), "compression");
            List<Integer> groups = new ArrayList<>();
            List<Integer> keyShares = new ArrayList<>();
            if (c.remaining() > 0) {
                ByteCursor ext = c.slice(c.u16("extensions"), "extensions");
                while (ext.remaining() > 0) {
                    int type = ext.u16("extension type");
                    ByteCursor body = ext.slice(ext.u16("extension length"), "extension");
                    if (type == 10) {
                        ByteCursor list = body.slice(body.u16("groups"), "groups");
                        while (list.remaining() > 0) groups.add(list.u16("group"));
                    } else if (type == 51) {
                        ByteCursor shares = body.slice(body.u16("client_shares"), "client_shares");
                        while (shares.remaining() > 0) {
                            keyShares.add(shares.u16("share group"));
                            shares.bytes(shares.u16("share length"), "share");
                        }
                    }
                }
            }
            s.getOutputStream().write(answer.apply(new Hello(version, offered, groups, keyShares)));
            s.getOutputStream().flush();
            AfterHello after = this.after.get();
            while (true) { // later records, until the prober hangs up
                byte[] h = in.readNBytes(5);
                if (h.length < 5) return;
                byte[] payload = in.readNBytes(((h[3] & 0xFF) << 8) | (h[4] & 0xFF));
                byte[] reply = after.on(h[0] & 0xFF, payload);
                if (reply != null) {
                    s.getOutputStream().write(reply);
                    s.getOutputStream().flush();
                }
            }
        } catch (IOException ignored) {
            // the prober closes: expected
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        pool.shutdownNow();
    }

    // ---- canned message builders (used by parser tests too) ----

    static byte[] record(int type, int version, byte[] payload) {
        return new Bytes().u8(type).u16(version).vec16(payload).toByteArray();
    }

    static byte[] handshake(int type, byte[] body) {
        return new Bytes().u8(type).vec24(body).toByteArray();
    }

    static byte[] serverHelloBody(int version, int suite, int compression, byte[] extensions) {
        Bytes b = new Bytes().u16(version).raw(new byte[32]).u8(0).u16(suite).u8(compression);
        if (extensions != null) b.vec16(extensions);
        return b.toByteArray();
    }

    static byte[] certificateBody(X509Certificate... certs) {
        Bytes list = new Bytes();
        try {
            for (X509Certificate c : certs) list.vec24(c.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Bytes().vec24(list.toByteArray()).toByteArray();
    }

    static byte[] alert(int version, int description) {
        return record(21, version, new byte[]{2, (byte) description});
    }

    /** An ECDHE ServerKeyExchange body (RFC 8422 §5.4): named_curve, a dummy point, a dummy signature. */
    static byte[] ecdheKeyExchangeBody(int namedCurve) {
        byte[] point = new byte[65];
        point[0] = 4;
        return new Bytes().u8(3).u16(namedCurve).vec8(point).u16(0x0403).vec16(new byte[64]).toByteArray();
    }

    /** ServerHello + Certificate + ServerHelloDone in one record. */
    static byte[] flight(int version, int suite, byte[] extensions, X509Certificate cert) {
        Bytes hs = new Bytes().raw(handshake(2, serverHelloBody(version, suite, 0, extensions)))
                .raw(handshake(11, certificateBody(cert))).raw(handshake(14, new byte[0]));
        return record(22, version, hs.toByteArray());
    }
}
