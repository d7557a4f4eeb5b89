package dev.doublelock.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 5322 message as doublelock composes it: header fields (folded, see {@link HeaderField}) and a body that is
 * either plain text ({@code text/plain; charset=utf-8}, 8bit, lines wrapped) or a {@link MultipartReport}.
 * <pre>{@code
 * byte[] mail = Message.builder().header("From", "postmaster@relay.example").date(now)
 *         .header("Subject", "Undelivered Mail Returned to Sender").body(report).build().toBytes();
 * }</pre>
 */
public final class Message {
    private final List<HeaderField> fields;
    private final byte[] body;

    private Message(List<HeaderField> fields, byte[] body) {
        this.fields = List.copyOf(fields);
        this.body = body;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<HeaderField> fields() {
        return fields;
    }

    /** The message octets: the folded fields, an empty line, the body (CRLF line ends throughout). */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        for (HeaderField f : fields) {
            out.writeBytes(f.folded().getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    public static final class Builder {
        private final List<HeaderField> fields = new ArrayList<>();
        private byte[] body = new byte[0];

        private Builder() {
        }

        public Builder header(String name, String value) {
            fields.add(new HeaderField(name, value));
            return this;
        }

        /** {@code Date:} in RFC 5322 form. */
        public Builder date(Instant at) {
            return header("Date", MessageDate.format(at));
        }

        /** A plain-text body: UTF-8, 8bit, lines wrapped at 78 columns ({@link BodyText#wrap}). */
        public Builder text(String text) {
            header("MIME-Version", "1.0");
            header("Content-Type", "text/plain; charset=utf-8");
            header("Content-Transfer-Encoding", "8bit");
            body = BodyText.wrap(text).getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** A {@code multipart/report} body (RFC 6522). */
        public Builder body(MultipartReport report) {
            header("MIME-Version", "1.0");
            header("Content-Type", report.contentType());
            body = report.toBytes();
            return this;
        }

        public Message build() {
            Objects.requireNonNull(body, "body");
            return new Message(fields, body);
        }
    }
}
