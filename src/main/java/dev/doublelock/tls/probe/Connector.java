package dev.doublelock.tls.probe;

import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.StartTlsOutcome.Status;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Opens one connection to a target and brings it to the point where the next byte is a ClientHello:
 * TCP connect, then for SMTP_STARTTLS the EHLO/STARTTLS dialogue. Each connection has its own deadline.
 */
final class Connector {
    private final ProbeOptions options;

    /** The options this connector was made with. */
    ProbeOptions options() {
        return options;
    }

    Connector(ProbeOptions options) {
        this.options = options;
    }

    /**
     * How a connection that did not reach TLS was turned away, for the retry decision in {@link HelloExchange}.
     * BUSY: the SMTP server said so (421/450); DROPPED: refused, reset or closed before TLS could start (what
     * a receiver over its connection limit may do instead); OTHER: anything else (a real answer, a timeout).
     */
    enum TurnedAway { NO, BUSY, DROPPED, OTHER }

    /** A connection ready for TLS, or the reason it is not (then {@code socket} is already closed). */
    record Opened(Socket socket, DeadlineInputStream in, StartTlsOutcome outcome, TurnedAway turnedAway)
            implements AutoCloseable {
        boolean ready() {
            return outcome.isEstablished();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket: nothing left to learn
                }
            }
        }
    }

    /** Per-connection deadline: connect timeout plus room for the SMTP dialogue and the server's flight. */
    Deadline connectionDeadline(Deadline target) {
        return Deadline.in(options.connectTimeout().plus(options.readTimeout().multipliedBy(3))).min(target);
    }

    Opened open(ProbeTarget target, Deadline deadline) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoLinger(true, 0);
            long connectMillis = Math.min(options.connectTimeout().toMillis(), deadline.remainingMillis());
            if (connectMillis <= 0) {
                throw new SocketTimeoutException("target deadline passed before connecting");
            }
            socket.connect(target.address(), (int) connectMillis);
            DeadlineInputStream in = new DeadlineInputStream(socket, deadline, (int) options.readTimeout().toMillis());
            SmtpStartTls.Negotiation n = target.transport() == Transport.SMTP_STARTTLS
                    ? SmtpStartTls.dialogue(in, socket.getOutputStream(), target.ehloName())
                    : new SmtpStartTls.Negotiation(StartTlsOutcome.established(), false);
            Opened opened = new Opened(socket, in, n.outcome(), n.outcome().isEstablished() ? TurnedAway.NO
                    : n.busy() ? TurnedAway.BUSY : TurnedAway.OTHER);
            if (!opened.ready()) opened.close();
            return opened;
        } catch (IOException | RuntimeException e) {
            boolean dropped = e instanceof java.net.ConnectException || e instanceof java.io.EOFException
                    || e instanceof java.net.SocketException && !(e instanceof SocketTimeoutException);
            Opened failed = new Opened(socket, null, new StartTlsOutcome(Status.UNREACHABLE, describe(target, e)),
                    dropped ? TurnedAway.DROPPED : TurnedAway.OTHER);
            failed.close();
            return failed;
        }
    }

    private static String describe(ProbeTarget target, Exception e) {
        String what = e instanceof SocketTimeoutException ? "timed out" : e.getClass().getSimpleName();
        return target.endpoint() + ": " + what + (e.getMessage() != null ? " (" + e.getMessage() + ")" : "");
    }
}
