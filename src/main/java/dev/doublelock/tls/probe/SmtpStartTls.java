package dev.doublelock.tls.probe;

import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.StartTlsOutcome.Status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SMTP part of a STARTTLS probe (RFC 5321, RFC 3207): read the greeting, EHLO, look for the
 * STARTTLS keyword, send STARTTLS and expect 220. Lines and replies are bounded in length and count.
 */
final class SmtpStartTls {
    static final int MAX_LINE = 2048;
    static final int MAX_LINES = 100;

    private SmtpStartTls() {
    }

    /** A reply: code and its lines without the code prefix. */
    record Reply(int code, List<String> lines) {
        String text() {
            return String.join(" / ", lines.stream().map(l -> code + " " + l).toList());
        }
    }

    /**
     * Runs the dialogue; ESTABLISHED means the caller may now start TLS on the same socket. Any other
     * outcome explains why not (UNREACHABLE covers a greeting that is not 220 and garbage).
     */
    static StartTlsOutcome negotiate(DeadlineInputStream in, OutputStream out, String ehloName) throws IOException {
        return dialogue(in, out, ehloName).outcome();
    }

    /**
     * The outcome, and whether the server said it is busy: a 421 (service not available, closing the channel,
     * RFC 5321 §3.8 and §4.2.3 — what Exim and Postfix answer beyond their per-client connection limits) or 450
     * at the greeting, to EHLO or to STARTTLS. A busy server is worth asking again later; 454 (TLS not available,
     * RFC 3207 §4) is an answer about TLS and is not retried.
     */
    record Negotiation(StartTlsOutcome outcome, boolean busy) {
    }

    static boolean busyCode(int code) {
        return code == 421 || code == 450;
    }

    static Negotiation dialogue(DeadlineInputStream in, OutputStream out, String ehloName) throws IOException {
        return dialogue(in, out, ehloName, "");
    }

    /**
     * The dialogue with {@code pipelined} sent in the same write as STARTTLS (the injection probe's plaintext
     * command, which a correct server discards, RFC 3207 §4.2).
     */
    static Negotiation dialogue(DeadlineInputStream in, OutputStream out, String ehloName, String pipelined) throws IOException {
        Reply greeting;
        try {
            greeting = reply(in);
        } catch (MalformedMessageException e) {
            return new Negotiation(new StartTlsOutcome(Status.UNREACHABLE, "not an SMTP greeting: " + e.getMessage()), false);
        }
        if (greeting.code() != 220) {
            return new Negotiation(new StartTlsOutcome(Status.UNREACHABLE, "greeting was not 220: " + greeting.text()),
                    busyCode(greeting.code()));
        }
        send(out, "EHLO " + ehloName);
        Reply ehlo = reply(in);
        if (ehlo.code() != 250) {
            return new Negotiation(new StartTlsOutcome(busyCode(ehlo.code()) ? Status.UNREACHABLE : Status.NOT_OFFERED,
                    "EHLO refused: " + ehlo.text()), busyCode(ehlo.code()));
        }
        boolean offered = ehlo.lines().stream().skip(1)
                .anyMatch(l -> l.strip().toUpperCase(Locale.ROOT).split("\\s+")[0].equals("STARTTLS"));
        if (!offered) {
            return new Negotiation(new StartTlsOutcome(Status.NOT_OFFERED, "EHLO reply has no STARTTLS: " + ehlo.text()), false);
        }
        send(out, "STARTTLS" + (pipelined.isEmpty() ? "" : "\r\n" + pipelined));
        Reply start = reply(in);
        if (start.code() != 220) {
            return new Negotiation(new StartTlsOutcome(busyCode(start.code()) ? Status.UNREACHABLE : Status.REFUSED,
                    start.text()), busyCode(start.code()));
        }
        discardUnsolicited(in);
        return new Negotiation(StartTlsOutcome.established(), false);
    }

    /**
     * Drops what the server sent after its 220 (it has nothing to say before our ClientHello): a plaintext reply
     * injected there would otherwise be read as a TLS record. Bounded; only what has already arrived.
     */
    private static void discardUnsolicited(DeadlineInputStream in) throws IOException {
        dev.doublelock.io.AvailableOctets.discard(in, 65_536);
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply: "250-..." continues, "250 ..." ends. */
    static Reply reply(DeadlineInputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            if (lines.size() >= MAX_LINES) {
                throw new MalformedMessageException("reply longer than " + MAX_LINES + " lines");
            }
            String line = line(in);
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
                throw new MalformedMessageException("not an SMTP reply line: \"" + printable(line) + "\"");
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new MalformedMessageException("reply code changed mid-reply: " + code + " then " + c);
            }
            code = c;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(code, lines);
            }
        }
    }

    private static String line(DeadlineInputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException("server closed the connection mid-reply");
            if (b == '\n') break;
            if (buf.size() >= MAX_LINE) throw new MalformedMessageException("reply line longer than " + MAX_LINE + " bytes");
            buf.write(b);
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
