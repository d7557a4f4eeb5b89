package dev.doublelock.relay.impact;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The finding codes in a recipient's noted reason, which names them in brackets after the words, e.g.
 * "4.7.5 TLS refused by policy at mx.example.net: the receiving server's certificate expired [EXPIRED_CERTIFICATE]".
 */
public final class ReasonCodes {
    private static final Pattern CODE = Pattern.compile("\\[([A-Z][A-Z0-9_]+)]");

    private ReasonCodes() {
    }

    /** The codes in order of first mention, once each. */
    public static List<String> in(String reason) {
        if (reason == null) {
            return List.of();
        }
        Matcher m = CODE.matcher(reason);
        LinkedHashSet<String> codes = new LinkedHashSet<>();
        while (m.find()) {
            codes.add(m.group(1));
        }
        return List.copyOf(codes);
    }
}
