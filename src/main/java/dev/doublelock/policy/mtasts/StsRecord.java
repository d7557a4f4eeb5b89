package dev.doublelock.policy.mtasts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MTA-STS TXT record at {@code _mta-sts.DOMAIN} (RFC 8461 §3.1): it announces that a policy
 * exists and, with {@code id}, when it changed.
 *
 * @param id         1-32 letters or digits; a new id tells senders to fetch the policy again
 * @param extensions other fields, in order
 */
public record StsRecord(String id, Map<String, String> extensions) {
    public static final String VERSION = "v=STSv1";

    public StsRecord {
        extensions = Map.copyOf(extensions);
    }

    /** True if the TXT string claims to be an MTA-STS record (senders discard all others, §3.1). */
    public static boolean isCandidate(String txt) {
        return txt.startsWith(VERSION + ";") || txt.equals(VERSION) || txt.startsWith(VERSION + " ")
                || txt.startsWith(VERSION + "\t");
    }

    /** Parses a record; throws {@link RecordSyntaxException} naming the broken rule. */
    public static StsRecord parse(String txt) {
        String id = null;
        Map<String, String> extensions = new LinkedHashMap<>();
        for (String[] f : TagList.fields(txt, VERSION)) {
            String key = f[0];
            String value = f[1];
            if (key.equals("id")) {
                if (id != null) {
                    throw new RecordSyntaxException("duplicate id field");
                }
                if (!value.matches("[A-Za-z0-9]{1,32}")) {
                    throw new RecordSyntaxException("id must be 1 to 32 letters or digits, got \"" + value + "\"");
                }
                id = value;
            } else {
                if (!TagList.isExtensionName(key)) {
                    throw new RecordSyntaxException("bad extension name \"" + key + "\"");
                }
                if (!value.matches("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+")) {
                    throw new RecordSyntaxException("bad value for extension \"" + key + "\"");
                }
                if (extensions.put(key, value) != null) {
                    throw new RecordSyntaxException("duplicate field \"" + key + "\"");
                }
            }
        }
        if (id == null) {
            throw new RecordSyntaxException("missing id field (e.g. \"v=STSv1; id=20240101T000000;\")");
        }
        return new StsRecord(id, extensions);
    }
}
