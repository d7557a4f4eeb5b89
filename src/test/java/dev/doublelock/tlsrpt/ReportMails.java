package dev.doublelock.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/** Test helper: the RFC 8460 JSON inside a TLS report mail (the base64 {@code application/tlsrpt+gzip} part). */
public final class ReportMails {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportMails() {
    }

    /** The gzip attachment of a report mail, decoded from base64. */
    public static byte[] attachment(byte[] mail) {
        String text = new String(mail, StandardCharsets.US_ASCII);
        int type = text.indexOf("Content-Type: application/tlsrpt+gzip");
        if (type < 0) throw new IllegalArgumentException("no application/tlsrpt+gzip part in this mail");
        int start = text.indexOf("Content-Transfer-Encoding: base64\r\n", type);
        String rest = text.substring(text.indexOf("\r\n\r\n", start) + 4);
        return Base64.getMimeDecoder().decode(rest.substring(0, rest.indexOf("\r\n--")));
    }

    /** The report JSON of a gzip body (a mail attachment or an HTTPS POST). */
    public static JsonNode json(byte[] gzip) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return JSON.readTree(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
