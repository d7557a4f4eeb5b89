package dev.doublelock.message;

/**
 * Text for a message body: every line end CRLF, every line at most 78 columns where it has white space to break
 * at (words longer than {@link HeaderField#LONGEST_WORD} are cut), so no line breaks RFC 5321's 1,000-octet limit.
 * A line's leading spaces are kept on the lines it is wrapped into, so indented paragraphs stay indented.
 */
public final class BodyText {
    static final int WIDTH = 78;

    private BodyText() {
    }

    /** The text with CRLF line ends, wrapped; ends with CRLF. */
    public static String wrap(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            wrapLine(out, line);
        }
        // split(-1) yields a last empty element for a text ending in a line break: drop its extra CRLF
        String s = out.toString();
        return s.endsWith("\r\n\r\n") && text.endsWith("\n") ? s.substring(0, s.length() - 2) : s;
    }

    private static void wrapLine(StringBuilder out, String line) {
        if (line.length() <= WIDTH) {
            out.append(line).append("\r\n");
            return;
        }
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ' && indent < 40) {
            indent++;
        }
        String prefix = " ".repeat(indent);
        StringBuilder cur = new StringBuilder(prefix);
        for (String word : line.substring(indent).split(" +")) {
            for (int i = 0; i < word.length(); i += HeaderField.LONGEST_WORD) {
                String piece = word.substring(i, Math.min(word.length(), i + HeaderField.LONGEST_WORD));
                if (cur.length() > prefix.length() && cur.length() + 1 + piece.length() > WIDTH) {
                    out.append(cur).append("\r\n");
                    cur = new StringBuilder(prefix);
                }
                if (cur.length() > prefix.length()) {
                    cur.append(' ');
                }
                cur.append(piece);
            }
        }
        out.append(cur).append("\r\n");
    }
}
