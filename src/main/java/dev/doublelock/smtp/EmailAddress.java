package dev.doublelock.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A mailbox "local-part@domain" as RFC 5321 section 4.1.2 defines it, with UTF-8 allowed as RFC 6531
 * (SMTPUTF8) permits. Lengths are checked against section 4.5.3.1: local part 64 octets, domain 255.
 * The special recipient "postmaster" (no domain) is represented with an empty domain.
 */
public record EmailAddress(String localPart, String domain) {
    private static final java.util.regex.Pattern IPV6_CHARS = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final java.util.regex.Pattern IPV4_LITERAL = java.util.regex.Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_DOMAIN = 255;
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    /** Parses "local@domain" (no angle brackets). */
    public static EmailAddress parse(String mailbox) throws AddressSyntaxException {
        int at = mailbox.lastIndexOf('@');
        if (at <= 0 || at == mailbox.length() - 1) {
            throw new AddressSyntaxException("mailbox must be local-part@domain: " + mailbox);
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1);
        checkLocalPart(local);
        checkDomain(domain);
        return new EmailAddress(local, domain);
    }

    /** The bare "postmaster" recipient RFC 5321 4.1.1.3 requires servers to accept. */
    public static EmailAddress postmaster() {
        return new EmailAddress("postmaster", "");
    }

    public boolean isPostmasterWithoutDomain() {
        return domain.isEmpty();
    }

    /** True if local part and domain are plain ASCII (no SMTPUTF8 needed). */
    public boolean isAscii() {
        return (localPart + domain).chars().allMatch(c -> c < 0x80);
    }

    @Override
    public String toString() {
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }

    static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void checkLocalPart(String local) throws AddressSyntaxException {
        if (octets(local) > MAX_LOCAL_PART) {
            throw new AddressSyntaxException("local part longer than " + MAX_LOCAL_PART + " octets");
        }
        if (local.startsWith("\"")) {
            checkQuotedString(local);
            return;
        }
        for (String atom : local.split("\\.", -1)) {
            if (atom.isEmpty()) {
                throw new AddressSyntaxException("empty atom in local part (leading, trailing or double dot): " + local);
            }
            for (int i = 0; i < atom.length(); i++) {
                char c = atom.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || ATEXT_SPECIALS.indexOf(c) >= 0 || (c >= 0x80 && !Character.isISOControl(c));
                if (!ok) {
                    throw new AddressSyntaxException("character '" + c + "' not allowed in an unquoted local part");
                }
            }
        }
    }

    private static void checkQuotedString(String q) throws AddressSyntaxException {
        if (q.length() < 2 || !q.endsWith("\"")) {
            throw new AddressSyntaxException("unterminated quoted local part: " + q);
        }
        for (int i = 1; i < q.length() - 1; i++) {
            char c = q.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= q.length() - 1 || q.charAt(i) < 32 || q.charAt(i) > 126) {
                    throw new AddressSyntaxException("bad quoted-pair in local part: " + q);
                }
            } else if (c == '"' || (c < 32) || c == 127) {
                throw new AddressSyntaxException("character not allowed in quoted local part: " + q);
            }
        }
    }

    private static void checkDomain(String domain) throws AddressSyntaxException {
        if (octets(domain) > MAX_DOMAIN) {
            throw new AddressSyntaxException("domain longer than " + MAX_DOMAIN + " octets");
        }
        if (domain.startsWith("[")) {
            checkAddressLiteral(domain);
            return;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new AddressSyntaxException("domain label empty or longer than 63 characters: " + domain);
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new AddressSyntaxException("domain label must not start or end with '-': " + domain);
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || (c >= 0x80 && Character.isLetterOrDigit(c));
                if (!ok) {
                    throw new AddressSyntaxException("character '" + c + "' not allowed in a domain: " + domain);
                }
            }
        }
    }

    private static void checkAddressLiteral(String lit) throws AddressSyntaxException {
        if (!lit.endsWith("]") || lit.length() < 3) {
            throw new AddressSyntaxException("address literal must be [IPv4] or [IPv6:...]: " + lit);
        }
        String inner = lit.substring(1, lit.length() - 1);
        if (inner.toLowerCase(Locale.ROOT).startsWith("ipv6:")) {
            if (!IPV6_CHARS.matcher(inner.substring(5)).matches()) {
                throw new AddressSyntaxException("bad IPv6 address literal: " + lit);
            }
        } else if (!IPV4_LITERAL.matcher(inner).matches()) {
            throw new AddressSyntaxException("bad IPv4 address literal: " + lit);
        }
    }
}
