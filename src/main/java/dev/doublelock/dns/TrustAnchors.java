package dev.doublelock.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.dnssec.ValidatingResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DNSSEC trust anchors in zone-file form (DS or DNSKEY records, one per line). Validation starts
 * from these: answers below an anchor are checked, answers elsewhere are insecure (authentic=false).
 *
 * @param zoneText the records, e.g. {@code ". IN DS 20326 8 2 E06D…"}
 */
public record TrustAnchors(String zoneText) {
    private static final String ROOT_RESOURCE = "root-anchors.txt";

    /** The IANA root zone KSKs shipped with doublelock. */
    public static TrustAnchors ianaRoot() {
        try (InputStream in = TrustAnchors.class.getResourceAsStream(ROOT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + ROOT_RESOURCE + " missing from the jar; rebuild doublelock");
            }
            return new TrustAnchors(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in root trust anchor", e);
        }
    }

    /** Anchors from a file of DS/DNSKEY records. */
    public static TrustAnchors fromFile(Path file) throws IOException {
        return new TrustAnchors(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** No anchors at all: nothing validates, every answer is insecure. */
    public static TrustAnchors none() {
        return new TrustAnchors("");
    }

    /**
     * The owner name of the first anchor record (the root {@code .} for the IANA anchor), whose DNSKEY RRset every
     * validation starts from; the root when there are no anchors.
     */
    Name zone() {
        for (String line : zoneText.split("\\R")) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith(";")) {
                continue;
            }
            try {
                return Name.fromString(text.split("\\s+")[0], Name.root);
            } catch (TextParseException e) {
                throw new IllegalArgumentException("trust anchor line does not start with a DNS name: " + text, e);
            }
        }
        return Name.root;
    }

    void loadInto(ValidatingResolver resolver) {
        try {
            resolver.loadTrustAnchors(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalArgumentException("trust anchors are not valid DS/DNSKEY zone-file records: "
                    + e.getMessage(), e);
        }
    }
}
