package dev.doublelock.smtp.server;

import dev.doublelock.io.CappedByteCollector;
import dev.doublelock.smtp.DotStuffing;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.SmtpLineReader;

import java.io.IOException;

/**
 * Reads DATA content up to the CRLF.CRLF terminator (RFC 5321 4.1.1.4) — nothing else ends it, so
 * "\n.\n" or "\r.\r" inside a message cannot smuggle a second message (SMTP smuggling). Content is
 * dot-unstuffed and capped at the size limit; the rest of a too-large message is read and dropped.
 * A message with NUL, bare LF/CR, an overlong line or too many octets is rejected as a whole after its
 * end was read, so the session stays in sync.
 */
final class MessageReader {
    /** How the content ended. */
    sealed interface Outcome {
        /** @param size the whole size; {@code content} holds the first octets only if fewer were asked for */
        record Accepted(byte[] content, long size) implements Outcome {
        }

        record Rejected(Reply reply, String reason) implements Outcome {
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    /** How many times a kept octet is counted against the budget (see the constructor). */
    static final int COPIES = 3;
    private final SmtpLimits limits;
    private final DataBudget budget;
    private final long keep;
    private long reserved;

    /**
     * @param budget the server's in-memory budget; each kept chunk reserves three times its size (the chunk, the
     *               array it is copied into at the end, and one copy the handler may make, as the relay does when it
     *               puts its Received header in front); the caller releases {@link #reserved()} when the message
     *               is handed on
     * @param keep   how many octets the handler needs (the rest is only counted)
     */
    MessageReader(SmtpLimits limits, DataBudget budget, long keep) {
        this.limits = limits;
        this.budget = budget;
        this.keep = keep;
    }

    /** Octets reserved from the budget by the last {@link #read}. */
    long reserved() {
        return reserved;
    }

    Outcome read(Connection conn) throws IOException {
        long cap = Math.min(limits.maxMessageBytes(), keep);
        CappedByteCollector body = new CappedByteCollector(cap, chunk -> {
            if (budget.tryReserve(COPIES * chunk)) {
                reserved += COPIES * chunk;
                return true;
            }
            return false;
        });
        boolean nul = false;
        boolean bareLineEnding = false;
        boolean overlong = false;
        SmtpLineReader reader = conn.reader();
        while (true) {
            conn.beginLine(limits.idleTimeout(), limits.commandTimeout());
            SmtpLineReader.Line line = reader.readLine(limits.maxTextLine() - 2);
            if (line.isClean() && DotStuffing.isEndOfData(line.content())) {
                break;
            }
            nul |= line.nul();
            bareLineEnding |= line.hasBareLineEnding();
            overlong |= line.overlong();
            body.write(DotStuffing.unstuffLine(line.content()));
            body.write(CRLF);
        }
        if (nul) {
            return new Outcome.Rejected(Replies.NUL_IN_DATA, "NUL in content");
        }
        if (bareLineEnding) {
            return new Outcome.Rejected(Replies.BARE_LINE_ENDING_IN_DATA, "bare LF/CR in content");
        }
        if (body.total() > limits.maxMessageBytes()) {
            return new Outcome.Rejected(Replies.MESSAGE_TOO_BIG, "more than " + limits.maxMessageBytes() + " octets");
        }
        if (overlong) {
            return new Outcome.Rejected(Replies.TEXT_LINE_TOO_LONG, "line longer than " + limits.maxTextLine() + " octets");
        }
        if (body.starved()) {
            return new Outcome.Rejected(Replies.INSUFFICIENT_STORAGE, "the server's message memory is in use by other "
                    + "sessions (" + limits.maxBufferedDataBytes() + " octets)");
        }
        return new Outcome.Accepted(body.toByteArray(), body.total());
    }
}
