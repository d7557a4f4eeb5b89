package dev.doublelock.smtp.server;

import dev.doublelock.io.AvailableOctets;

import dev.doublelock.io.DeadlineInputStream;
import dev.doublelock.smtp.SmtpLineReader;
import dev.doublelock.tls.TlsHandshakeResult;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The socket a session currently talks over, plaintext first and TLS after STARTTLS, with its reader. */
final class Connection {
    private static final int MAX_DRAIN = 64 * 1024;
    private final Socket plain;
    private final Clock clock;
    private Socket current;
    private DeadlineInputStream input;
    private SmtpLineReader reader;
    private TlsHandshakeResult.Established tls;

    Connection(Socket plain, Clock clock) throws IOException {
        this.plain = plain;
        this.clock = clock;
        use(plain);
    }

    private byte[] carried = new byte[0];

    private void use(Socket socket) throws IOException {
        this.current = socket;
        InputStream in = socket.getInputStream();
        if (carried.length > 0) { // the injection profile: plaintext from before STARTTLS read as if it came over TLS
            in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(carried), in);
            carried = new byte[0];
        }
        this.input = new DeadlineInputStream(in, socket::setSoTimeout, clock);
        this.reader = new SmtpLineReader(input);
    }

    /**
     * The CVE-2011-0411 defect, on purpose (the lab's starttls-injection profile only): keeps what the client
     * pipelined after STARTTLS and reads it after the handshake as if it had come over TLS. Returns the octets kept.
     */
    int carryPipelinedPlaintext() throws IOException {
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        kept.writeBytes(reader.takeBuffered());
        kept.writeBytes(AvailableOctets.read(plain.getInputStream(), MAX_DRAIN - kept.size()));
        carried = kept.toByteArray();
        return carried.length;
    }

    SmtpLineReader reader() {
        return reader;
    }

    /** True if the client sends (or already sent) anything within {@code wait}. */
    boolean inputWithin(Duration wait) throws IOException {
        input.beginUnit(wait, wait, false);
        return reader.fill();
    }

    /** Starts the deadlines for the next line (see {@link DeadlineInputStream#beginUnit}). */
    void beginLine(Duration idle, Duration line) {
        input.beginUnit(idle, line, reader.buffered() > 0);
    }

    Socket plain() {
        return plain;
    }

    Socket current() {
        return current;
    }

    Optional<TlsHandshakeResult.Established> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * Drops plaintext the client sent after STARTTLS before seeing our 220: what the line reader
     * buffered plus what the kernel already holds. Returns the number of octets dropped.
     */
    int discardPipelinedPlaintext() throws IOException {
        int dropped = reader.discardBuffered();
        return dropped + AvailableOctets.discard(plain.getInputStream(), MAX_DRAIN - dropped);
    }

    void upgraded(SSLSocket ssl, TlsHandshakeResult.Established established) throws IOException {
        this.tls = established;
        use(ssl);
    }

    /**
     * Closes without waiting for the peer: over TLS a close_notify is sent (half-close), then the TCP
     * socket is closed, because SSLSocket.close() alone may wait for the peer's close_notify.
     */
    void closeQuietly() {
        if (current != plain) {
            try {
                current.setSoTimeout(1);
                current.shutdownOutput();
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        }
        try {
            plain.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            current.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
