package dev.doublelock.smtp.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens the TCP connection to an SMTP server. The seam for tests and for callers that bind a source
 * address or go through a proxy; {@link #direct()} is a plain TCP connect.
 */
@FunctionalInterface
public interface Dialer {
    /**
     * Connects to {@code address} within {@code timeout}.
     *
     * @throws IOException if the connection cannot be made in time (a transient failure)
     */
    Socket dial(InetSocketAddress address, Duration timeout) throws IOException;

    /** A plain TCP connect with the given timeout and TCP_NODELAY (SMTP is a request/response protocol). */
    static Dialer direct() {
        return (address, timeout) -> {
            if (address.isUnresolved()) {
                throw new IOException("address " + address.getHostString()
                        + " is unresolved; resolve MX hosts to addresses before dialing");
            }
            Socket socket = new Socket();
            try {
                socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        };
    }
}
