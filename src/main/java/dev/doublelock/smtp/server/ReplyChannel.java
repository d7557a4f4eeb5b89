package dev.doublelock.smtp.server;

import dev.doublelock.io.Transcript;
import dev.doublelock.smtp.Reply;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server's side of the wire: queues replies so pipelined commands are answered in one write
 * (RFC 2920), flushes on request, and closes the connection if the client stops reading so long that a
 * write blocks past the deadline.
 */
final class ReplyChannel {
    private final Transcript transcript;
    private final Watchdog watchdog;
    private final Duration writeDeadline;
    private final Runnable abort;
    private OutputStream out;

    ReplyChannel(Transcript transcript, Watchdog watchdog, Duration writeDeadline, Runnable abort) {
        this.transcript = transcript;
        this.watchdog = watchdog;
        this.writeDeadline = writeDeadline;
        this.abort = abort;
    }

    /** Writes go to {@code raw} from now on (after STARTTLS: the TLS stream). */
    void attach(OutputStream raw) {
        this.out = new BufferedOutputStream(raw, 16 * 1024);
    }

    void queue(Reply reply) throws IOException {
        String wire = reply.toWire();
        for (String line : wire.split("\r\n")) {
            transcript.server(line);
        }
        Watchdog.Guard guard = watchdog.arm(writeDeadline, abort);
        try {
            out.write(wire.getBytes(StandardCharsets.UTF_8));
        } finally {
            guard.close();
        }
    }

    void flush() throws IOException {
        Watchdog.Guard guard = watchdog.arm(writeDeadline, abort);
        try {
            out.flush();
        } finally {
            guard.close();
        }
    }

    void send(Reply reply) throws IOException {
        queue(reply);
        flush();
    }
}
