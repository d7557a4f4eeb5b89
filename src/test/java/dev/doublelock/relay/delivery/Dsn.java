package dev.doublelock.relay.delivery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal reader of the DSNs the relay writes, for assertions: the top header and the MIME parts. */
record Dsn(String header, List<Part> parts) {
    record Part(String contentType, String body) {
    }

    static Dsn parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) throw new AssertionError("no header/body separator in DSN");
        String header = text.substring(0, split + 2);
        Matcher b = Pattern.compile("boundary=\"([^\"]+)\"").matcher(header);
        if (!b.find()) throw new AssertionError("no boundary in DSN header:\n" + header);
        String boundary = "--" + b.group(1);
        String body = text.substring(split + 4);
        if (!body.contains(boundary + "--")) throw new AssertionError("DSN lacks the closing boundary");
        String[] chunks = body.substring(0, body.indexOf(boundary + "--")).split(Pattern.quote(boundary + "\r\n"));
        List<Part> parts = new ArrayList<>();
        for (int i = 1; i < chunks.length; i++) {
            String c = chunks[i];
            int e = c.indexOf("\r\n\r\n");
            String ph = c.substring(0, e + 2);
            Matcher ct = Pattern.compile("(?im)^Content-Type: ([^;\\r\\n]+)").matcher(ph);
            parts.add(new Part(ct.find() ? ct.group(1).trim() : "", c.substring(e + 4)));
        }
        return new Dsn(header, parts);
    }

    String all() {
        return header + String.join("\n", parts.stream().map(Part::body).toList());
    }
}
