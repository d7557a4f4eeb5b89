package dev.doublelock.lab;

import com.sun.net.httpserver.HttpExchange;
import dev.doublelock.io.PageResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP side of {@code POST /tlsrpt} (RFC 8460 §5.4), the same on the lab web (plain HTTP) and on the policy host's
 * {@code tlsrpt.<zone>} (HTTPS): anything but POST is answered 405; the body is read up to
 * {@link TlsReportInbox#MAX_REPORT_MAIL} octets (one more tells it was longer) and handed to
 * {@link TlsReportInbox#acceptPost}, whose status and line of text are the answer.
 */
public final class TlsReportPost {
    private TlsReportPost() {
    }

    public static void answer(HttpExchange ex, TlsReportInbox inbox) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            PageResponse.send(ex, 405, "text/plain",
                    "POST TLS reports here (application/tlsrpt+gzip)\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body;
        boolean complete;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(TlsReportInbox.MAX_REPORT_MAIL + 1);
            complete = body.length <= TlsReportInbox.MAX_REPORT_MAIL;
        }
        TlsReportInbox.Answer answer = inbox.acceptPost(ex.getRequestHeaders().getFirst("Content-Type"), body, complete,
                ex.getRemoteAddress().getAddress().getHostAddress());
        PageResponse.send(ex, answer.status(), "text/plain; charset=utf-8",
                (answer.text() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
