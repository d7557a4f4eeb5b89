package dev.doublelock.policy.mtasts;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the {@code v=…; key=value; …} TXT syntax shared by MTA-STS (RFC 8461 §3.1) and TLS-RPT
 * (RFC 8460 §3): the version comes first, fields are separated by {@code *WSP ";" *WSP}, and one
 * trailing separator is allowed.
 */
final class TagList {
    private TagList() {
    }

    /** The {@code key=value} fields after the version, in order. */
    static List<String[]> fields(String txt, String version) {
        if (!txt.startsWith(version)) {
            throw new RecordSyntaxException("record must begin with \"" + version + "\"");
        }
        String rest = txt.substring(version.length());
        if (!rest.isEmpty() && !rest.stripLeading().startsWith(";")) {
            throw new RecordSyntaxException("expected ';' after \"" + version + "\"");
        }
        String[] parts = rest.split(";", -1);
        List<String[]> fields = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String part = strip(parts[i]);
            if (part.isEmpty()) {
                if (i == parts.length - 1) {
                    break; // one trailing ";" is allowed
                }
                throw new RecordSyntaxException("empty field between ';' separators");
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new RecordSyntaxException("field \"" + part + "\" is not key=value");
            }
            fields.add(new String[] {part.substring(0, eq), part.substring(eq + 1)});
        }
        return fields;
    }

    /** Strips the WSP (space, tab) that the grammar allows around separators. */
    static String strip(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }

    static boolean isExtensionName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    }
}
