package dev.doublelock.tls;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The first TLS handshake message a client sends, read from a server's socket before any TLS engine sees it, for the
 * host name it asks for (the {@code server_name} extension, RFC 6066 §3): a server that picks its certificate and
 * TLS configuration by name. Reads TLS records (RFC 8446 §5.1) until the ClientHello is complete — it may span
 * several — and never more than {@link #MAX_CLIENT_HELLO} bytes of it; every byte read is kept in {@link #consumed()}
 * for the TLS engine that then takes over the connection. Whatever is not a well-formed ClientHello ends the reading
 * with a {@link Status} other than {@link Status#CLIENT_HELLO} and no name: the engine then fails as it would.
 * Reads block: the caller bounds them (socket timeout, watchdog).
 *
 * @param status     how reading ended
 * @param serverName the first {@code host_name} of the {@code server_name} extension, lower case; empty without one
 * @param consumed   every byte read from the stream, in order
 */
public record ClientHelloPeek(Status status, Optional<String> serverName, byte[] consumed) {
    /** The most ClientHello (handshake message header and body) read; real ones, post-quantum key shares included, are far below. */
    public static final int MAX_CLIENT_HELLO = 32 * 1024;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;
    private static final int HOST_NAME = 0;
    private static final int MAX_RECORD = 16384 + 2048;

    /** How reading ended. */
    public enum Status {
        /** A complete, well-formed ClientHello. */
        CLIENT_HELLO,
        /** The first record is no TLS handshake record (plaintext, SSL 2 hello). */
        NOT_TLS,
        /** The peer closed before the ClientHello was complete. */
        TRUNCATED,
        /** The ClientHello announced more than {@link #MAX_CLIENT_HELLO} bytes. */
        TOO_LARGE,
        /** Complete, but its fields do not add up. */
        MALFORMED
    }

    public ClientHelloPeek {
        consumed = consumed.clone();
    }

    @Override
    public byte[] consumed() {
        return consumed.clone();
    }

    /** Reads records from {@code in} until one ClientHello is complete or reading must stop. */
    public static ClientHelloPeek read(InputStream in) throws IOException {
        ByteArrayOutputStream consumed = new ByteArrayOutputStream();
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        int needed = -1; // the handshake message's length (header included), once known
        try {
            while (needed < 0 || handshake.size() < needed) {
                byte[] header = readFully(in, 5, consumed);
                int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                if (header[0] != HANDSHAKE || header[1] != 3 || length == 0 || length > MAX_RECORD) {
                    return new ClientHelloPeek(Status.NOT_TLS, Optional.empty(), consumed.toByteArray());
                }
                handshake.write(readFully(in, length, consumed));
                if (needed < 0 && handshake.size() >= 4) {
                    byte[] h = handshake.toByteArray();
                    if (h[0] != CLIENT_HELLO) return new ClientHelloPeek(Status.NOT_TLS, Optional.empty(), consumed.toByteArray());
                    int body = ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
                    if (body + 4 > MAX_CLIENT_HELLO) {
                        return new ClientHelloPeek(Status.TOO_LARGE, Optional.empty(), consumed.toByteArray());
                    }
                    needed = body + 4;
                }
            }
        } catch (EOFException e) {
            return new ClientHelloPeek(Status.TRUNCATED, Optional.empty(), consumed.toByteArray());
        }
        byte[] message = handshake.toByteArray();
        try {
            return new ClientHelloPeek(Status.CLIENT_HELLO, serverName(Arrays.copyOfRange(message, 4, needed)),
                    consumed.toByteArray());
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return new ClientHelloPeek(Status.MALFORMED, Optional.empty(), consumed.toByteArray());
        }
    }

    /**
     * The host name in a ClientHello body (after the 4-byte handshake header): legacy_version, random, session id,
     * cipher suites, compression methods, then the extensions, if any.
     *
     * @throws IndexOutOfBoundsException when a length points past the end
     * @throws IllegalArgumentException  when a length disagrees with what contains it
     */
    static Optional<String> serverName(byte[] body) {
        Cursor c = new Cursor(body, 0, body.length);
        c.skip(2 + 32);
        c.skip(c.u8());
        c.skip(c.u16());
        c.skip(c.u8());
        if (c.remaining() == 0) return Optional.empty(); // no extensions at all (TLS 1.0-style hello)
        Cursor extensions = c.sub(c.u16());
        if (c.remaining() != 0) throw new IllegalArgumentException("bytes after the extensions");
        while (extensions.remaining() > 0) {
            int type = extensions.u16();
            Cursor data = extensions.sub(extensions.u16());
            if (type != SERVER_NAME) continue;
            Cursor names = data.sub(data.u16());
            while (names.remaining() > 0) {
                int nameType = names.u8();
                Cursor name = names.sub(names.u16());
                if (nameType == HOST_NAME) {
                    byte[] ascii = name.rest();
                    for (byte b : ascii) {
                        if (b <= 0x20 || b >= 0x7f) throw new IllegalArgumentException("not an ASCII host name");
                    }
                    return Optional.of(new String(ascii, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT));
                }
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static byte[] readFully(InputStream in, int n, ByteArrayOutputStream consumed) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                consumed.write(b, 0, off);
                throw new EOFException();
            }
            off += r;
        }
        consumed.write(b);
        return b;
    }

    /** A bounds-checked view of part of a byte array. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;
        private final int end;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        void skip(int n) {
            if (n > remaining()) throw new IndexOutOfBoundsException("length " + n + " past the end");
            pos += n;
        }

        int u8() {
            if (remaining() < 1) throw new IndexOutOfBoundsException();
            return b[pos++] & 0xff;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        Cursor sub(int n) {
            if (n > remaining()) throw new IndexOutOfBoundsException("length " + n + " past the end");
            Cursor s = new Cursor(b, pos, pos + n);
            pos += n;
            return s;
        }

        byte[] rest() {
            byte[] out = Arrays.copyOfRange(b, pos, end);
            pos = end;
            return out;
        }
    }
}
