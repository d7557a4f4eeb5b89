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
