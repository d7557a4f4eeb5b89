package dev.doublelock.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@code multipart/report} body (RFC 6522): first the human-readable part, then the machine-readable report
 * ({@code message/delivery-status} for DSNs, RFC 3464; an {@code application/tlsrpt+gzip} attachment for TLS
 * reports, RFC 8460), then optionally the original message or its header. The boundary is random, so no part can
 * contain it by accident.
 */
public final class MultipartReport {
    private record Part(List<HeaderField> headers, byte[] content) {
    }

    private final String reportType;
    private final String boundary = "=_doublelock_" + UUID.randomUUID();
    private final List<Part> parts = new ArrayList<>();
    private String preamble = "";

    /** @param reportType e.g. {@code delivery-status}, {@code tlsrpt} */
    public MultipartReport(String reportType) {
        this.reportType = Objects.requireNonNull(reportType, "reportType");
        if (!reportType.matches("[a-z0-9.+-]+")) {
            throw new IllegalArgumentException("not a report type: " + reportType);
        }
    }

    /** Text before the first part, for readers without MIME. */
    public MultipartReport preamble(String text) {
        preamble = BodyText.wrap(text);
        return this;
    }

    /** A text part ({@code text/plain; charset=utf-8}, 8bit, wrapped), with an optional description. */
    public MultipartReport text(String description, String text) {
        List<HeaderField> h = new ArrayList<>();
        if (description != null) {
            h.add(new HeaderField("Content-Description", description));
        }
        h.add(new HeaderField("Content-Type", "text/plain; charset=utf-8"));
        h.add(new HeaderField("Content-Transfer-Encoding", "8bit"));
        parts.add(new Part(h, BodyText.wrap(text).getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /**
     * A part of header-like fields, such as {@code message/delivery-status}: groups separated by an empty line, each
     * field folded.
     */
    public MultipartReport fields(String description, String contentType, List<List<HeaderField>> groups) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            if (i > 0) {
                sb.append("\r\n");
            }
            groups.get(i).forEach(f -> sb.append(f.folded()));
        }
        parts.add(new Part(describe(description, contentType), sb.toString().getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** A part whose octets are given as they are (e.g. {@code text/rfc822-headers}); they must end with CRLF. */
    public MultipartReport raw(String description, String contentType, byte[] content) {
        parts.add(new Part(describe(description, contentType), content.clone()));
        return this;
    }

    /** A binary attachment, base64-encoded in lines of 76 characters (RFC 2045 §6.8). */
    public MultipartReport attachment(String contentType, String filename, byte[] content) {
        List<HeaderField> h = new ArrayList<>();
        h.add(new HeaderField("Content-Type", contentType));
        h.add(new HeaderField("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[\"\\\\\\r\\n]", "_")
                + "\""));
        h.add(new HeaderField("Content-Transfer-Encoding", "base64"));
        String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(content) + "\r\n";
        parts.add(new Part(h, b64.getBytes(StandardCharsets.US_ASCII)));
        return this;
    }

    private static List<HeaderField> describe(String description, String contentType) {
        List<HeaderField> h = new ArrayList<>();
        if (description != null) {
            h.add(new HeaderField("Content-Description", description));
        }
        h.add(new HeaderField("Content-Type", contentType));
        return h;
    }

    /** The value of the message's Content-Type field. */
    public String contentType() {
        return "multipart/report; report-type=" + reportType + "; boundary=\"" + boundary + "\"";
    }

    public byte[] toBytes() {
        if (parts.isEmpty()) {
            throw new IllegalStateException("a multipart/report needs at least its human-readable part");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.UTF_8));
        for (Part p : parts) {
            out.writeBytes(("\r\n--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (HeaderField f : p.headers()) {
                out.writeBytes(f.folded().getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] c = p.content();
            // the CRLF before the next boundary belongs to the boundary (RFC 2046 §5.1.1): drop the part's last one
            int len = c.length >= 2 && c[c.length - 2] == '\r' && c[c.length - 1] == '\n' ? c.length - 2 : c.length;
            out.write(c, 0, len);
        }
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
