package dev.doublelock.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply (RFC 5321 section 4.2): a three-digit code, an optional RFC 3463 enhanced status
 * code and one or more text lines. Build replies through {@link Replies}; parse a server's reply with
 * {@link #parse(List)}.
 *
 * @param code           the reply code, 200..599
 * @param enhancedStatus "2.0.0"-style enhanced status code, or {@code null} when the reply has none
 * @param lines          the text lines without code and enhanced status; at least one (may be empty text)
 */
public record Reply(int code, String enhancedStatus, List<String> lines) {
    private static final java.util.regex.Pattern ENHANCED_STATUS = java.util.regex.Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");
    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code must be 200..599, got " + code);
        }
        if (enhancedStatus != null && !ENHANCED_STATUS.matcher(enhancedStatus).matches()) {
            throw new IllegalArgumentException("enhanced status must look like 2.0.0, got " + enhancedStatus);
        }
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
        if (lines.isEmpty()) {
            lines = List.of("");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply text must not contain CR or LF: " + line);
            }
        }
    }

    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    /** 2xx and 3xx: the command was accepted (3xx asks for more input). */
    public boolean isPositive() {
        return code < 400;
    }

    /** 4xx: try again later. */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** 5xx: do not repeat the same command. */
    public boolean isPermanent() {
        return code >= 500;
    }

    /** The reply as sent on the wire: "250-first" ... "250 last", each line ended by CRLF. */
    public String toWire() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhancedStatus != null) {
                sb.append(enhancedStatus);
                if (!lines.get(i).isEmpty()) {
                    sb.append(' ');
                }
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    /** First line of text, for logs and evidence ("454 4.7.0 TLS not available"). */
    public String summary() {
        return code + (enhancedStatus == null ? "" : " " + enhancedStatus) + " " + lines.get(0);
    }

    /**
     * Every line of the reply as it came over the wire, joined by single spaces, as Postfix shows a multi-line reply
     * in a DSN ("550-5.1.1 The account … 550 5.1.1 https://…"); for a one-line reply the same as {@link #summary()}.
     */
    public String wholeText() {
        if (lines.size() == 1) {
            return summary();
        }
        return toWire().strip().replace("\r\n", " ");
    }

    /**
     * Parses the lines of one reply as a client read them (without CRLF). The enhanced status code is
     * recognised when every line starts with the same "x.y.z" whose class matches the reply code.
     *
     * @throws IllegalArgumentException if the lines are not one well-formed reply
     */
    public static Reply parse(List<String> wireLines) {
        if (wireLines == null || wireLines.isEmpty()) {
            throw new IllegalArgumentException("an SMTP reply has at least one line");
        }
        int code = -1;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < wireLines.size(); i++) {
            String line = wireLines.get(i);
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("reply line does not start with a 3-digit code: " + line);
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code != -1 && lineCode != code) {
                throw new IllegalArgumentException("reply lines carry different codes: " + code + " and " + lineCode);
            }
            code = lineCode;
            boolean last = i == wireLines.size() - 1;
            char sep = line.length() > 3 ? line.charAt(3) : ' ';
            if (last != (sep == ' ') || (sep != ' ' && sep != '-')) {
                throw new IllegalArgumentException("bad continuation marker in reply line: " + line);
            }
            texts.add(line.length() > 4 ? line.substring(4) : "");
        }
        String enhanced = commonEnhancedStatus(code, texts);
        if (enhanced != null) {
            texts.replaceAll(t -> t.substring(enhanced.length()).stripLeading());
        }
        return new Reply(code, enhanced, texts);
    }

    private static String commonEnhancedStatus(int code, List<String> texts) {
        String first = texts.get(0).split(" ", 2)[0];
        if (!ENHANCED_STATUS.matcher(first).matches() || first.charAt(0) - '0' != code / 100) {
            return null;
        }
        for (String t : texts) {
            if (!t.equals(first) && !t.startsWith(first + " ")) {
                return null;
            }
        }
        return first;
    }
}
