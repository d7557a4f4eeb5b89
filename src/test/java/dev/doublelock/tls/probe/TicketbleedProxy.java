package dev.doublelock.tls.probe;

import dev.doublelock.tls.probe.ClientHelloWriter.Bytes;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay in front of a real TLS server that, when {@code bleeds}, answers like an unpatched F5 BIG-IP
 * (CVE-2016-9244) to a ClientHello carrying a session ticket and a session ID shorter than 32 bytes: a ServerHello
 * that resumes with a 32-byte session ID, the client's bytes followed by fresh "memory", then ChangeCipherSpec.
 * Every other connection is relayed byte for byte, so the full handshake that earns the ticket is the real server's.
 */
final class TicketbleedProxy implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final boolean bleeds;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    TicketbleedProxy(InetSocketAddress upstream, boolean bleeds) throws IOException {
        this.upstream = upstream;
        this.bleeds = bleeds;
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
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] header = in.readNBytes(5);
            if (header.length < 5) return;
            byte[] record = in.readNBytes(((header[3] & 0xFF) << 8) | (header[4] & 0xFF));
            Hello h = parse(record);
            if (bleeds && h != null && h.ticket.length > 0 && h.sessionId.length < 32) {
                byte[] id = new byte[32];
                RANDOM.nextBytes(id); // uninitialised memory, as far as the client can tell
                System.arraycopy(h.sessionId, 0, id, 0, h.sessionId.length);
                byte[] random = new byte[32];
                RANDOM.nextBytes(random);
                byte[] hello = new Bytes().u16(h.version).raw(random).vec8(id).u16(h.firstSuite).u8(0)
                        .vec16(new Bytes().ext(35, new byte[0]).toByteArray()).toByteArray();
                OutputStream out = s.getOutputStream();
                out.write(CannedTlsServer.record(22, h.version, CannedTlsServer.handshake(2, hello)));
                out.write(CannedTlsServer.record(20, h.version, new byte[]{1}));
                out.flush();
                in.readAllBytes();
                return;
            }
            try (Socket up = new Socket(upstream.getAddress(), upstream.getPort())) {
                up.getOutputStream().write(header);
                up.getOutputStream().write(record);
                up.getOutputStream().flush();
                var back = pool.submit(() -> pipe(up.getInputStream(), s.getOutputStream()));
                pipe(in, up.getOutputStream());
                up.shutdownOutput();
                back.get();
            }
        } catch (Exception ignored) {
            // either side hung up
        }
    }

    private static Void pipe(InputStream from, OutputStream to) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = from.read(buf)) > 0; ) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // closed
        }
        return null;
    }

    private record Hello(int version, byte[] sessionId, int firstSuite, byte[] ticket) {
    }

    /** The fields of a TLS ≤ 1.2 ClientHello this relay decides by; null for anything else. */
    private static Hello parse(byte[] record) {
        try {
            ByteCursor c = new ByteCursor(record);
            if (c.u8("type") != 1) return null;
            c.u24("len");
            int version = c.u16("version");
            c.bytes(32, "random");
            byte[] sid = c.bytes(c.u8("sid"), "sid");
            ByteCursor suites = c.slice(c.u16("suites"), "suites");
            int first = suites.u16("suite");
            c.bytes(c.u8("compression"), "compression");
            byte[] ticket = new byte[0];
            if (c.remaining() > 0) {
                ByteCursor ext = c.slice(c.u16("extensions"), "extensions");
                while (ext.remaining() > 0) {
                    int type = ext.u16("type");
                    byte[] data = ext.bytes(ext.u16("length"), "data");
                    if (type == 35) ticket = data;
                }
            }
            return new Hello(version, sid, first, ticket);
        } catch (MalformedMessageException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        pool.shutdownNow();
    }
}
