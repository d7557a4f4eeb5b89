package dev.doublelock.tls.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads a socket so that no read waits past a deadline, however slowly the peer trickles bytes: before
 * every read the socket timeout is set to the smaller of the read timeout and the time left.
 */
final class DeadlineInputStream extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;
    private final int readTimeoutMillis;

    DeadlineInputStream(Socket socket, Deadline deadline, int readTimeoutMillis) throws IOException {
        this(socket, socket.getInputStream(), deadline, readTimeoutMillis);
    }

    /** Reads {@code in} (a TLS layer over {@code socket}, say) with the socket's timeout armed before each read. */
    DeadlineInputStream(Socket socket, InputStream in, Deadline deadline, int readTimeoutMillis) {
        this.socket = socket;
        this.in = in;
        this.deadline = deadline;
        this.readTimeoutMillis = Math.max(1, readTimeoutMillis);
    }

    private void arm() throws IOException {
        long left = deadline.remainingMillis();
        if (left <= 0) {
            throw new SocketTimeoutException("connection deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(left, readTimeoutMillis)));
    }

    @Override
    public int read() throws IOException {
        arm();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return in.read(b, off, len);
    }

    /** What the socket already holds (never blocks). */
    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Reads exactly {@code n} bytes; EOF before that is an {@link java.io.EOFException}. */
    byte[] readExactly(int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = read(buf, got, n - got);
            if (r < 0) {
                throw new java.io.EOFException("peer closed after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return buf;
    }
}
