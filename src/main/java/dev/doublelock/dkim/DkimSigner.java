package dev.doublelock.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Signs a message with a DKIM-Signature header field (RFC 6376 §3.5), relaxed/relaxed canonicalization (§3.4.2,
 * §3.4.4), over the header fields given (the last instance of each, §5.4.2), prepended to the message.
 * <pre>{@code
 * byte[] signed = new DkimSigner("relay.example.org", "tlsrpt", key).sign(message, Instant.now());
 * }</pre>
 */
public final class DkimSigner {
    /** The fields signed by default: those RFC 6376 §5.4.1 recommends that doublelock's mail has. */
    public static final List<String> DEFAULT_FIELDS = List.of("from", "to", "subject", "date", "message-id",
            "mime-version", "content-type", "tls-report-domain", "tls-report-submitter");

    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private final List<String> fields;

    public DkimSigner(String domain, String selector, PrivateKey key) {
        this(domain, selector, key, DEFAULT_FIELDS);
    }

    public DkimSigner(String domain, String selector, PrivateKey key, List<String> fields) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.key = Objects.requireNonNull(key, "key");
        if (!key.getAlgorithm().equals("RSA") && !key.getAlgorithm().equals("Ed25519") && !key.getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("DKIM signs with RSA or Ed25519 keys, not " + key.getAlgorithm());
        }
        this.fields = fields.stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
    }

    /** The message with a DKIM-Signature field in front. {@code message} uses CRLF line ends. */
    public byte[] sign(byte[] message, Instant now) {
        String text = new String(message, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String headerSection = split < 0 ? text : text.substring(0, split + 2);
        String body = split < 0 ? "" : text.substring(split + 4);
        List<String> headerFields = unfoldedFields(headerSection);
        boolean rsa = key.getAlgorithm().equals("RSA");
        List<String> signedNames = new ArrayList<>();
        StringBuilder toSign = new StringBuilder();
        for (String name : fields) {
            for (int i = headerFields.size() - 1; i >= 0; i--) { // the last instance (§5.4.2); one per name here
                String f = headerFields.get(i);
                int colon = f.indexOf(':');
                if (colon > 0 && f.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    toSign.append(relaxedHeader(f)).append("\r\n");
                    signedNames.add(name);
                    break;
                }
            }
        }
        String value = "v=1; a=" + (rsa ? "rsa-sha256" : "ed25519-sha256") + "; c=relaxed/relaxed; d=" + domain
                + "; s=" + selector + "; t=" + now.getEpochSecond() + "; h=" + String.join(":", signedNames)
                + "; bh=" + Base64.getEncoder().encodeToString(sha256(relaxedBody(body))) + ";";
        // b= on a line of its own, so the field signed (b= empty) and the field sent fold alike before it
        String head = fold("DKIM-Signature: " + value) + "\tb=";
        toSign.append(relaxedHeader(head)); // the field as sent, b= empty, without its final CRLF (§3.7)
        byte[] signature = signature(toSign.toString().getBytes(StandardCharsets.UTF_8), rsa);
        String b64 = Base64.getEncoder().encodeToString(signature);
        StringBuilder signedField = new StringBuilder(head);
        for (int i = 0; i < b64.length(); i += 64) {
            signedField.append(i == 0 ? "" : "\r\n\t").append(b64, i, Math.min(b64.length(), i + 64));
        }
        String signed = signedField.append("\r\n").toString();
        byte[] field = signed.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[field.length + message.length];
        System.arraycopy(field, 0, out, 0, field.length);
        System.arraycopy(message, 0, out, field.length, message.length);
        return out;
    }

    private byte[] signature(byte[] data, boolean rsa) {
        try {
            Signature s = Signature.getInstance(rsa ? "SHA256withRSA" : "Ed25519");
            s.initSign(key);
            s.update(rsa ? data : sha256(new String(data, StandardCharsets.UTF_8))); // RFC 8463 §3: Ed25519 over the hash
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** Header fields, each unfolded into one string (without CRLF). */
    static List<String> unfoldedFields(String header) {
        List<String> out = new ArrayList<>();
        for (String line : header.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !out.isEmpty()) {
                out.set(out.size() - 1, out.getLast() + "\r\n" + line);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    /** RFC 6376 §3.4.2. */
    static String relaxedHeader(String field) {
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
        return name + ":" + value;
    }

    /** RFC 6376 §3.4.4. */
    static String relaxedBody(String body) {
        String[] lines = body.split("\r\n", -1);
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line.replaceAll("[ \t]+", " ").replaceAll(" +$", "")).append("\r\n");
        }
        String s = sb.toString();
        while (s.endsWith("\r\n\r\n")) {
            s = s.substring(0, s.length() - 2);
        }
        return s.equals("\r\n") ? "" : s;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Folds the field where RFC 6376 §3.5 allows white space: after a tag's ";" and after a ":" in {@code h=}. */
    static String fold(String field) {
        List<String> tokens = new ArrayList<>();
        for (String part : field.split("(?<=; )")) {
            if (part.startsWith("h=")) {
                tokens.addAll(List.of(part.split("(?<=:)")));
            } else {
                tokens.add(part);
            }
        }
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String t : tokens) {
            if (line.length() > 0 && line.length() + t.length() > 76) {
                out.append(line.toString().stripTrailing()).append("\r\n\t");
                line.setLength(0);
            }
            line.append(t);
        }
        return out.append(line.toString().stripTrailing()).append("\r\n").toString();
    }
}
