package dev.doublelock.message;

import java.util.List;
import java.util.Objects;

/**
 * One header field, written folded (RFC 5322 §2.2.3): lines are broken before white space so that no line is longer
 * than 78 characters where the text allows it, and never longer than 998. A run of more than 900 characters
 * without white space (a remote server's 4,000-octet reply token, say) is broken with a folding space inside it:
 * the only way to keep the line limit, at the cost of one space in the text. Line breaks in the value are turned
 * into single spaces first, so a value can never end the header section or start a new field.
 *
 * @param name  the field name, e.g. {@code Diagnostic-Code}; printable ASCII without colon or space
 * @param value the unfolded value, e.g. {@code smtp; 550 5.1.1 No such user}
 */
public record HeaderField(String name, String value) {
    /** Preferred line length (RFC 5322 §2.1.1 SHOULD). */
    public static final int PREFERRED = 78;
    /** Longest word kept on one line; a longer one is cut. Lines stay under RFC 5322's 998 octets. */
    static final int LONGEST_WORD = 900;

    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || name.length() > 76 || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException("not a header field name: '" + name + "'");
        }
        value = value.replaceAll("[\\r\\n]+[ \\t]*", " ").replace('\t', ' ').strip();
    }

    /** The field with its final CRLF, folded. */
    public String folded() {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(name).append(':');
        appendWords(out, line, words(value));
        return out.append(line).append("\r\n").toString();
    }

    /**
     * A field written clause by clause, each clause after the first on its own continuation line (TAB first), as
     * MTAs write trace fields: {@code Received: from a ([192.0.2.1])CRLF\tby b with ESMTPS id 42CRLF\tfor <x@y>;
     * DATE}. A clause longer than a line is folded at its spaces like {@link #folded()}.
     */
    public static String foldedClauses(String name, List<String> clauses) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(name).append(':');
        boolean first = true;
        for (String clause : clauses) {
            String text = new HeaderField(name, clause).value();
            if (text.isEmpty()) {
                continue;
            }
            if (!first) {
                out.append(line).append("\r\n");
                line.setLength(0);
                line.append('\t');
            }
            appendWords(out, line, words(text));
            first = false;
        }
        return out.append(line).append("\r\n").toString();
    }

    /**
     * Appends words to {@code line} (which holds "Name:" or a TAB), a space before each except right after a TAB,
     * folding into {@code out} before a word that would take the line past {@link #PREFERRED}.
     */
    private static void appendWords(StringBuilder out, StringBuilder line, List<String> words) {
        boolean afterTab = line.length() == 1 && line.charAt(0) == '\t';
        boolean has = false;
        for (String word : words) {
            if (has && line.length() + 1 + word.length() > PREFERRED) {
                out.append(line).append("\r\n");
                line.setLength(0); // the continuation line starts with the folding space appended below
                afterTab = false;
            }
            if (!(afterTab && !has)) {
                line.append(' ');
            }
            line.append(word);
            has = true;
        }
    }

    /** The value's words, each at most {@link #LONGEST_WORD} characters (longer ones cut into pieces). */
    private static List<String> words(String value) {
        List<String> out = new java.util.ArrayList<>();
        for (String word : value.split(" +")) {
            for (int i = 0; i < word.length(); i += LONGEST_WORD) {
                out.add(word.substring(i, Math.min(word.length(), i + LONGEST_WORD)));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return folded();
    }
}
