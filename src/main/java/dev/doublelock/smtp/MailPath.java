package dev.doublelock.smtp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A reverse-path (MAIL FROM) or forward-path (RCPT TO), RFC 5321 section 4.1.2. The null reverse-path
 * "&lt;&gt;" (bounces) has no address. Source routes ("&lt;@a,@b:u@d&gt;") are accepted and ignored
 * as section 4.1.1.3 / appendix C ask.
 *
 * @param address the mailbox, or {@code null} for the null reverse-path
 */
public record MailPath(EmailAddress address) {
    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\d{1,20}");
    private static final java.util.regex.Pattern KEYWORD = java.util.regex.Pattern.compile("[A-Z0-9][A-Z0-9-]*");
    /** Total path length limit including angle brackets (RFC 5321 4.5.3.1.3). */
    public static final int MAX_PATH = 256;
    public static final MailPath NULL = new MailPath(null);

    public boolean isNull() {
        return address == null;
    }

    /** The path as written on the wire, e.g. "&lt;a@b&gt;" or "&lt;&gt;". */
    public String toWire() {
        return "<" + (address == null ? "" : address) + ">";
    }

    @Override
    public String toString() {
        return toWire();
    }

    /** A path with its ESMTP parameters (keys upper-cased; value {@code ""} for a bare keyword). */
    public record WithParameters(MailPath path, Map<String, String> parameters) {
        public WithParameters {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        /** SIZE=n (RFC 1870) if given. */
        public OptionalLong size() throws AddressSyntaxException {
            String v = parameters.get("SIZE");
            if (v == null) {
                return OptionalLong.empty();
            }
            if (!DIGITS.matcher(v).matches()) {
                throw new AddressSyntaxException("SIZE must be a decimal number of octets: " + v);
            }
            try {
                return OptionalLong.of(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return OptionalLong.of(Long.MAX_VALUE);
            }
        }

        /** BODY=7BIT|8BITMIME (RFC 6152), upper-cased, if given. */
        public Optional<String> body() throws AddressSyntaxException {
            String v = parameters.get("BODY");
            if (v == null) {
                return Optional.empty();
            }
            String up = v.toUpperCase(Locale.ROOT);
            if (!up.equals("7BIT") && !up.equals("8BITMIME")) {
                throw new AddressSyntaxException("BODY must be 7BIT or 8BITMIME: " + v);
            }
            return Optional.of(up);
        }

        /** SMTPUTF8 keyword present (RFC 6531); it takes no value. */
        public boolean smtpUtf8() throws AddressSyntaxException {
            String v = parameters.get("SMTPUTF8");
            if (v != null && !v.isEmpty()) {
                throw new AddressSyntaxException("SMTPUTF8 takes no value");
            }
            return v != null;
        }
    }

    /** Parses the text after "MAIL FROM:" — "&lt;a@b&gt; SIZE=10 BODY=8BITMIME"; "&lt;&gt;" is allowed. */
    public static WithParameters parseReversePath(String text) throws AddressSyntaxException {
        return parse(text, true);
    }

    /** Parses the text after "RCPT TO:" — "&lt;a@b&gt;" or "&lt;postmaster&gt;"; "&lt;&gt;" is not allowed. */
    public static WithParameters parseForwardPath(String text) throws AddressSyntaxException {
        return parse(text, false);
    }

    private static WithParameters parse(String text, boolean reverse) throws AddressSyntaxException {
        String s = text.stripLeading();
        if (!s.startsWith("<")) {
            throw new AddressSyntaxException("path must be in angle brackets, e.g. <user@example.org>");
        }
        int close = closingBracket(s);
        String path = s.substring(0, close + 1);
        if (EmailAddress.octets(path) > MAX_PATH) {
            throw new AddressSyntaxException("path longer than " + MAX_PATH + " octets");
        }
        MailPath mailPath = parseInner(path.substring(1, path.length() - 1), reverse);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(" ")) {
            throw new AddressSyntaxException("a space must separate the path from parameters");
        }
        return new WithParameters(mailPath, parseParameters(rest.strip()));
    }

    private static int closingBracket(String s) throws AddressSyntaxException {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        throw new AddressSyntaxException("missing '>' at the end of the path");
    }

    private static MailPath parseInner(String inner, boolean reverse) throws AddressSyntaxException {
        if (inner.isEmpty()) {
            if (reverse) {
                return NULL;
            }
            throw new AddressSyntaxException("the null path <> is not a valid recipient");
        }
        if (inner.startsWith("@")) {
            int colon = inner.indexOf(':');
            if (colon < 0) {
                throw new AddressSyntaxException("source route without ':' before the mailbox");
            }
            inner = inner.substring(colon + 1);
        }
        if (!reverse && inner.equalsIgnoreCase("postmaster")) {
            return new MailPath(EmailAddress.postmaster());
        }
        return new MailPath(EmailAddress.parse(inner));
    }

    private static Map<String, String> parseParameters(String rest) throws AddressSyntaxException {
        Map<String, String> params = new LinkedHashMap<>();
        if (rest.isEmpty()) {
            return params;
        }
        for (String p : rest.split(" +")) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (!KEYWORD.matcher(key).matches()) {
                throw new AddressSyntaxException("bad ESMTP parameter keyword: " + p);
            }
            if (eq >= 0 && (value.isEmpty() || value.chars().anyMatch(c -> c < 33 || c == '=' || c == 127))) {
                throw new AddressSyntaxException("bad ESMTP parameter value: " + p);
            }
            if (params.put(key, value) != null) {
                throw new AddressSyntaxException("ESMTP parameter given twice: " + key);
            }
        }
        return params;
    }
}
