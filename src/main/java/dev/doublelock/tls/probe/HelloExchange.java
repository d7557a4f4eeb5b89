package dev.doublelock.tls.probe;

import java.io.IOException;

/**
 * One probe job on one connection (sslyze's ScanJob): take a per-host permit, open, send one ClientHello,
 * read the server's flight, close.
 */
final class HelloExchange {
    private final ProbeTarget target;
    private final Connector connector;
    private final HostLimiter limiter;
    private final Deadline targetDeadline;

    HelloExchange(ProbeTarget target, Connector connector, HostLimiter limiter, Deadline targetDeadline) {
        this.target = target;
        this.connector = connector;
        this.limiter = limiter;
        this.targetDeadline = targetDeadline;
    }

    ProbeTarget target() {
        return target;
    }

    Deadline targetDeadline() {
        return targetDeadline;
    }

    Attempt send(ClientHello hello) {
        if (targetDeadline.expired()) {
            return new Attempt.Reached(new ServerReply.Failed("target deadline passed"));
        }
        try (HostLimiter.Permit permit = limiter.acquire(target.address().getAddress(), targetDeadline)) {
            if (permit == null) {
                return new Attempt.Reached(new ServerReply.Failed("target deadline passed waiting for a connection slot"));
            }
            try (Connector.Opened c = connector.open(target, connector.connectionDeadline(targetDeadline))) {
                if (!c.ready()) {
                    return new Attempt.NotReached(c.outcome());
                }
                try {
                    c.socket().getOutputStream().write(ClientHelloWriter.record(hello));
                    c.socket().getOutputStream().flush();
                } catch (IOException e) {
                    return new Attempt.Reached(new ServerReply.Refused("connection closed before the hello was sent: " + e.getMessage()));
                }
                return new Attempt.Reached(ServerFlightReader.read(c.in()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt.Reached(new ServerReply.Failed("interrupted"));
        }
    }

    /** Convenience: the reply, with "TLS never started" folded into Failed. */
    ServerReply reply(ClientHello hello) {
        return switch (send(hello)) {
            case Attempt.Reached r -> r.reply();
            case Attempt.NotReached n -> new ServerReply.Failed(n.outcome().status() + ": " + n.outcome().detail());
        };
    }
}
