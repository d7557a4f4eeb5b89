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

    Connector(ProbeOptions options) {
        this.options = options;
    }

    /** A connection ready for TLS, or the reason it is not (then {@code socket} is already closed). */
    record Opened(Socket socket, DeadlineInputStream in, StartTlsOutcome outcome) implements AutoCloseable {
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
            StartTlsOutcome outcome = target.transport() == Transport.SMTP_STARTTLS
                    ? SmtpStartTls.negotiate(in, socket.getOutputStream(), target.ehloName())
                    : StartTlsOutcome.established();
            Opened opened = new Opened(socket, in, outcome);
            if (!opened.ready()) opened.close();
            return opened;
        } catch (IOException | RuntimeException e) {
            Opened failed = new Opened(socket, null, new StartTlsOutcome(Status.UNREACHABLE, describe(target, e)));
            failed.close();
            return failed;
        }
    }

    private static String describe(ProbeTarget target, Exception e) {
        String what = e instanceof SocketTimeoutException ? "timed out" : e.getClass().getSimpleName();
        return target.endpoint() + ": " + what + (e.getMessage() != null ? " (" + e.getMessage() + ")" : "");
    }
}
