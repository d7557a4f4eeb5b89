package dev.doublelock.smtp.client;

import dev.doublelock.smtp.Reply;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the server said it supports (RFC 5321 4.1.1.1): the service extension keywords of its EHLO reply.
 *
 * @param reply        the EHLO (or HELO) reply
 * @param keywords     extension keywords, upper-cased, without their parameters ("STARTTLS", "SIZE", "PIPELINING")
 * @param size         the SIZE limit (RFC 1870) if advertised with a number; 0 means "no fixed limit"
 * @param heloFallback true if EHLO was refused and HELO used instead (then there are no keywords)
 */
public record EhloResult(Reply reply, Set<String> keywords, OptionalLong size, boolean heloFallback) {
    private static final java.util.regex.Pattern KEYWORD = java.util.regex.Pattern.compile("[A-Z0-9][A-Z0-9-]*");
    private static final java.util.regex.Pattern SIZE_VALUE = java.util.regex.Pattern.compile("\\d{1,18}");
    public EhloResult {
        Objects.requireNonNull(reply, "reply");
        keywords = Set.copyOf(keywords);
        Objects.requireNonNull(size, "size");
    }

    /** True if {@code keyword} (any case) was advertised. */
    public boolean supports(String keyword) {
        return keywords.contains(keyword.toUpperCase(Locale.ROOT));
    }

    /** Parses the keyword lines (every line after the first) of a positive EHLO reply. */
    static EhloResult fromEhlo(Reply reply) {
        Set<String> keywords = new LinkedHashSet<>();
        OptionalLong size = OptionalLong.empty();
        for (String line : reply.lines().subList(1, reply.lines().size())) {
            String[] parts = line.strip().split("[ =]+");
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            if (!KEYWORD.matcher(keyword).matches()) {
                continue; // not an ehlo-keyword (RFC 5321 4.1.1.1); ignore rather than guess
            }
            keywords.add(keyword);
            if (keyword.equals("SIZE") && parts.length > 1 && SIZE_VALUE.matcher(parts[1]).matches()) {
                size = OptionalLong.of(Long.parseLong(parts[1]));
            }
        }
        return new EhloResult(reply, keywords, size, false);
    }

    static EhloResult fromHelo(Reply reply) {
        return new EhloResult(reply, Set.of(), OptionalLong.empty(), true);
    }
}
