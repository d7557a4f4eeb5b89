package dev.doublelock.policy.mtasts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMTP TLS Reporting record at {@code _smtp._tls.DOMAIN} (RFC 8460 §3): where senders send
 * their daily TLS reports.
 *
 * @param rua        report destinations, {@code mailto:} or {@code https:} URIs
 * @param extensions other fields
 */
public record TlsRptRecord(List<URI> rua, Map<String, String> extensions) {
    public static final String VERSION = "v=TLSRPTv1";

    public TlsRptRecord {
        rua = List.copyOf(rua);
        extensions = Map.copyOf(extensions);
    }

    /** The name to query: {@code _smtp._tls.DOMAIN}. */
    public static String recordName(String domain) {
        return "_smtp._tls." + domain;
    }

    /**
     * What a domain publishes, from the TXT strings at {@link #recordName}: RFC 8460 §3 keeps the records that start
     * with {@code v=TLSRPTv1} and applies one only when there is exactly one, and it parses.
     */
    public sealed interface Published {
        /** No {@code v=TLSRPTv1} record. */
        record None() implements Published { }

        /** More than one: none applies. */
        record Several(int count) implements Published { }

        /** Exactly one, but it does not parse. */
        record Invalid(String reason) implements Published { }

        /** Exactly one valid record. */
        record One(TlsRptRecord record) implements Published { }
    }

    /** Chooses the record that applies among a name's TXT strings (RFC 8460 §3). */
    public static Published select(List<String> txts) {
        List<String> records = txts.stream().filter(t -> t.startsWith(VERSION)).toList();
        if (records.isEmpty()) {
            return new Published.None();
        }
        if (records.size() > 1) {
            return new Published.Several(records.size());
        }
        try {
            return new Published.One(parse(records.getFirst()));
        } catch (RecordSyntaxException e) {
            return new Published.Invalid(e.getMessage());
        }
    }

    public static TlsRptRecord parse(String txt) {
        List<URI> rua = null;
        Map<String, String> extensions = new LinkedHashMap<>();
        for (String[] f : TagList.fields(txt, VERSION)) {
            if (f[0].equals("rua")) {
                if (rua != null) {
                    throw new RecordSyntaxException("duplicate rua field");
                }
                rua = uris(f[1]);
            } else if (!TagList.isExtensionName(f[0]) || extensions.put(f[0], f[1]) != null) {
                throw new RecordSyntaxException("bad or duplicate field \"" + f[0] + "\"");
            }
        }
        if (rua == null) {
            throw new RecordSyntaxException("missing rua field (e.g. \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\")");
        }
        return new TlsRptRecord(rua, extensions);
    }

    private static List<URI> uris(String value) {
        List<URI> uris = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String text = TagList.strip(part);
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme();
                if (!"mailto".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                    throw new RecordSyntaxException("rua \"" + text + "\" must be a mailto: or https: URI");
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                throw new RecordSyntaxException("rua \"" + text + "\" is not a URI: " + e.getReason());
            }
        }
        return uris;
    }
}
