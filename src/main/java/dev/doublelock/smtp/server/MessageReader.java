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
        record Accepted(byte[] content) implements Outcome {
        }

        record Rejected(Reply reply, String reason) implements Outcome {
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private final SmtpLimits limits;

    MessageReader(SmtpLimits limits) {
        this.limits = limits;
    }

    Outcome read(Connection conn) throws IOException {
        CappedByteCollector body = new CappedByteCollector(limits.maxMessageBytes());
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
        if (body.overflowed()) {
            return new Outcome.Rejected(Replies.MESSAGE_TOO_BIG, "more than " + limits.maxMessageBytes() + " octets");
        }
        if (overlong) {
            return new Outcome.Rejected(Replies.TEXT_LINE_TOO_LONG, "line longer than " + limits.maxTextLine() + " octets");
        }
        return new Outcome.Accepted(body.toByteArray());
    }
}
