package dev.doublelock.queue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The SMTP envelope of a queued message, as the intake received it.
 *
 * @param mailFrom   the reverse path without angle brackets; {@code ""} is the null sender {@code <>}
 * @param recipients forward paths without angle brackets, in RCPT order; exact duplicates are dropped
 *                   (the message is delivered once per address)
 * @param params     MAIL/RCPT extension parameters the relay must carry on, e.g. {@code BODY=8BITMIME},
 *                   {@code SMTPUTF8}, {@code REQUIRETLS}, {@code ENVID}; a parameter without a value
 *                   maps to {@code ""}
 */
public record Envelope(String mailFrom, List<String> recipients, Map<String, String> params) {

    public Envelope {
        Objects.requireNonNull(mailFrom, "mailFrom (use \"\" for the null sender <>)");
        Objects.requireNonNull(recipients, "recipients");
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
        requireNoLineBreak("mailFrom", mailFrom);
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String r : recipients) {
            Objects.requireNonNull(r, "a recipient is null");
            if (r.isBlank()) {
                throw new IllegalArgumentException("a recipient is empty; every RCPT needs an address");
            }
            requireNoLineBreak("recipient", r);
            unique.add(r);
        }
        if (unique.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        recipients = List.copyOf(new ArrayList<>(unique));
        params.forEach((k, v) -> {
            requireNoLineBreak("parameter name", k);
            requireNoLineBreak("parameter " + k, Objects.requireNonNull(v, "value of parameter " + k));
        });
    }

    /** An envelope without extension parameters. */
    public Envelope(String mailFrom, List<String> recipients) {
        this(mailFrom, recipients, Map.of());
    }

    /** True for the null reverse path {@code <>} (bounces and other notifications). */
    public boolean nullSender() {
        return mailFrom.isEmpty();
    }

    private static void requireNoLineBreak(String what, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains CR, LF or NUL: " + value.strip());
        }
    }
}
