package dev.doublelock.policy.mtasts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An MTA-STS policy as served at {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}
 * (RFC 8461 §3.2): the mode, the MX host patterns that may receive the domain's mail, and how long
 * senders may cache it.
 */
public record StsPolicy(Mode mode, List<String> mxPatterns, long maxAgeSeconds) {
    /** RFC 8461 §3.2: max_age is at most 31557600 seconds (about one year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    /** The policy mode, with its wire token. */
    public enum Mode {
        ENFORCE("enforce"), TESTING("testing"), NONE("none");

        private final String token;

        Mode(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        static Mode of(String token) {
            for (Mode m : values()) {
                if (m.token.equals(token)) {
                    return m;
                }
            }
            throw new RecordSyntaxException("mode must be enforce, testing or none, got \"" + token + "\"");
        }
    }

    public StsPolicy {
        mxPatterns = List.copyOf(mxPatterns);
    }

    /** Parses a policy body (LF or CRLF lines, unknown keys ignored); throws {@link RecordSyntaxException}. */
    public static StsPolicy parse(String body) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = body.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break; // final line terminator
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new RecordSyntaxException("line " + (i + 1) + " is not \"key: value\"");
            }
            String key = line.substring(0, colon);
            String value = TagList.strip(line.substring(colon + 1));
            if (!TagList.isExtensionName(key)) {
                throw new RecordSyntaxException("line " + (i + 1) + ": bad key \"" + key + "\"");
            }
            if (!key.equals("mx") && !seen.add(key)) {
                throw new RecordSyntaxException("duplicate key \"" + key + "\"");
            }
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = Mode.of(value);
                case "max_age" -> maxAge = maxAge(value);
                case "mx" -> mx.add(mxPattern(value));
                default -> { } // extensions are ignored (§3.2)
            }
        }
        if (!"STSv1".equals(version)) {
            throw new RecordSyntaxException(version == null ? "missing \"version: STSv1\"" : "version must be STSv1, got \"" + version + "\"");
        }
        if (mode == null) {
            throw new RecordSyntaxException("missing mode");
        }
        if (maxAge == null) {
            throw new RecordSyntaxException("missing max_age");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new RecordSyntaxException("mode " + mode.token() + " needs at least one mx line");
        }
        return new StsPolicy(mode, mx, maxAge);
    }

    /** The policy as a policy body in canonical form (LF lines); {@link #parse} reads it back to an equal policy. */
    public String toText() {
        StringBuilder sb = new StringBuilder("version: STSv1\nmode: ").append(mode.token()).append('\n');
        mxPatterns.forEach(p -> sb.append("mx: ").append(p).append('\n'));
        return sb.append("max_age: ").append(maxAgeSeconds).append('\n').toString();
    }

    /** True if the MX host matches a pattern; "*.example.com" matches exactly one extra left-most label. */
    public boolean matchesMx(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String p : mxPatterns) {
            if (p.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) {
                    return true;
                }
            } else if (h.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static long maxAge(String value) {
        if (!value.matches("[0-9]{1,10}")) {
            throw new RecordSyntaxException("max_age must be 1 to 10 digits, got \"" + value + "\"");
        }
        long v = Long.parseLong(value);
        if (v > MAX_AGE_LIMIT) {
            throw new RecordSyntaxException("max_age " + v + " exceeds the RFC 8461 limit of " + MAX_AGE_LIMIT);
        }
        return v;
    }

    private static String mxPattern(String value) {
        String p = value.toLowerCase(Locale.ROOT);
        String domain = p.startsWith("*.") ? p.substring(2) : p;
        String label = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
        if (!domain.matches(label + "(\\." + label + ")+")) {
            throw new RecordSyntaxException("mx \"" + value + "\" is not a host name or \"*.\" + host name");
        }
        return p;
    }
}
