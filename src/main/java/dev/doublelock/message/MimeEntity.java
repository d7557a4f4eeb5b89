package dev.doublelock.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A received message or body part read back (RFC 5322 header fields, RFC 2045/2046 MIME): the unfolded header
 * fields, the Content-Type with its parameters, the parts of a multipart body, and the body decoded from its
 * Content-Transfer-Encoding. Bounded: at most {@value #MAX_FIELDS} header fields and {@value #MAX_PARTS} parts per
 * level, {@value #MAX_DEPTH} levels; what lies beyond is not read. The reader of what {@link Message} writes.
 */
public final class MimeEntity {
    public static final int MAX_FIELDS = 500;
    public static final int MAX_PARTS = 50;
    public static final int MAX_DEPTH = 5;

    private final List<Map.Entry<String, String>> fields;
    private final byte[] body;
    private final int depth;

    private MimeEntity(List<Map.Entry<String, String>> fields, byte[] body, int depth) {
        this.fields = fields;
        this.body = body;
        this.depth = depth;
    }

    /** Reads a message or part: the header up to the first empty line (CRLF or bare LF line ends), then the body. */
    public static MimeEntity parse(byte[] raw) {
        return parse(raw, 0);
    }

    private static MimeEntity parse(byte[] raw, int depth) {
        int[] split = split(raw);
        int end = split[0];
        String header = new String(raw, 0, end < 0 ? raw.length : end, StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : header.split("\r?\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(' ').append(line.strip());
                continue;
            }
            if (current != null) add(fields, current.toString());
            current = line.isEmpty() ? null : new StringBuilder(line);
            if (fields.size() >= MAX_FIELDS) break;
        }
        if (current != null && fields.size() < MAX_FIELDS) add(fields, current.toString());
        byte[] body = end < 0 ? new byte[0] : Arrays.copyOfRange(raw, split[1], raw.length);
        return new MimeEntity(List.copyOf(fields), body, depth);
    }

    private static void add(List<Map.Entry<String, String>> fields, String field) {
        int colon = field.indexOf(':');
        if (colon > 0) {
            fields.add(Map.entry(field.substring(0, colon).strip().toLowerCase(Locale.ROOT), field.substring(colon + 1).strip()));
        }
    }

    /**
     * Where the header ends (exclusive) and the body starts: at the first empty line, CRLF or bare LF; {-1, -1}
     * when there is no empty line (all header, no body).
     */
    private static int[] split(byte[] raw) {
        if (raw.length > 0 && raw[0] == '\n') return new int[] {0, 1};
        if (raw.length > 1 && raw[0] == '\r' && raw[1] == '\n') return new int[] {0, 2};
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] != '\n') continue;
            if (raw[i + 1] == '\n') return new int[] {i, i + 2};
            if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') return new int[] {i, i + 3};
        }
        return new int[] {-1, -1};
    }

    /** The first field of that name (case-insensitive), unfolded. */
    public Optional<String> header(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return fields.stream().filter(f -> f.getKey().equals(n)).map(Map.Entry::getValue).findFirst();
    }

    /** The Content-Type; {@code text/plain} when there is none (RFC 2045 §5.2). */
    public ContentType contentType() {
        return header("Content-Type").map(ContentType::parse).orElse(ContentType.parse("text/plain; charset=us-ascii"));
    }

    /** The parts of a multipart body, in order (empty for other types or past {@value #MAX_DEPTH} levels). */
    public List<MimeEntity> parts() {
        ContentType type = contentType();
        String boundary = type.parameter("boundary").orElse(null);
        if (!type.type().startsWith("multipart/") || boundary == null || boundary.isEmpty() || depth >= MAX_DEPTH) {
            return List.of();
        }
        String text = new String(body, StandardCharsets.ISO_8859_1); // one char per octet: indexes stay octet offsets
        String delimiter = "--" + boundary;
        List<MimeEntity> parts = new ArrayList<>();
        int at = delimiterAt(text, delimiter, 0);
        while (at >= 0 && parts.size() < MAX_PARTS) {
            int lineEnd = text.indexOf('\n', at);
            if (text.startsWith(delimiter + "--", at) || lineEnd < 0) break; // the close delimiter
            int next = delimiterAt(text, delimiter, lineEnd + 1);
            int partEnd = next < 0 ? text.length() : next;
            // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
            if (partEnd > lineEnd + 1 && text.charAt(partEnd - 1) == '\n') partEnd--;
            if (partEnd > lineEnd + 1 && text.charAt(partEnd - 1) == '\r') partEnd--;
            parts.add(parse(Arrays.copyOfRange(body, lineEnd + 1, Math.max(lineEnd + 1, partEnd)), depth + 1));
            at = next;
        }
        return parts;
    }

    /** The next line that starts with {@code delimiter}, from {@code from}. */
    private static int delimiterAt(String text, String delimiter, int from) {
        int i = from;
        while (i <= text.length()) {
            int found = text.indexOf(delimiter, i);
            if (found < 0) return -1;
            if (found == 0 || text.charAt(found - 1) == '\n') return found;
            i = found + 1;
        }
        return -1;
    }

    /** The body as sent, before any Content-Transfer-Encoding is undone. */
    public byte[] rawBody() {
        return body.clone();
    }

    /**
     * The body with its Content-Transfer-Encoding undone: base64 (ignoring line breaks), quoted-printable, or as is
     * (7bit, 8bit, binary, none).
     *
     * @throws IllegalArgumentException for base64 that is not base64, or an encoding RFC 2045 does not define
     */
    public byte[] decodedBody() {
        String cte = header("Content-Transfer-Encoding").orElse("7bit").toLowerCase(Locale.ROOT);
        return switch (cte) {
            case "base64" -> Base64.getMimeDecoder().decode(new String(body, StandardCharsets.US_ASCII).strip());
            case "quoted-printable" -> quotedPrintable(body);
            case "7bit", "8bit", "binary" -> body.clone();
            default -> throw new IllegalArgumentException("Content-Transfer-Encoding \"" + cte + "\" is not one of "
                    + "7bit, 8bit, binary, quoted-printable, base64 (RFC 2045 §6.1)");
        };
    }

    private static byte[] quotedPrintable(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '=') {
                out.write(in[i]);
            } else if (i + 1 < in.length && (in[i + 1] == '\r' || in[i + 1] == '\n')) {
                i += in[i + 1] == '\r' && i + 2 < in.length && in[i + 2] == '\n' ? 2 : 1; // soft line break
            } else if (i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0 && Character.digit(in[i + 2], 16) >= 0) {
                out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out.write('=');
            }
        }
        return out.toByteArray();
    }

    /**
     * A Content-Type value (RFC 2045 §5.1): the media type in lower case and its parameters (names in lower case,
     * quoted values unquoted).
     */
    public record ContentType(String type, Map<String, String> parameters) {
        public ContentType {
            parameters = Map.copyOf(parameters);
        }

        public static ContentType parse(String value) {
            List<String> pieces = splitOutsideQuotes(value);
            String type = pieces.getFirst().strip().toLowerCase(Locale.ROOT);
            Map<String, String> params = new LinkedHashMap<>();
            for (String p : pieces.subList(1, pieces.size())) {
                int eq = p.indexOf('=');
                if (eq <= 0) continue;
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                params.putIfAbsent(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), v);
            }
            return new ContentType(type, params);
        }

        public Optional<String> parameter(String name) {
            return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
        }

        private static List<String> splitOutsideQuotes(String value) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) quoted = !quoted;
                if (c == ';' && !quoted) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            return out;
        }
    }
}
