package dev.doublelock.relay.impact;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time a summary looks back over: from {@code from} (inclusive) to {@code to} (exclusive), written on the
 * command line and in the page's query as a length with a Postfix time unit ({@code 90s}, {@code 30m}, {@code 4h},
 * {@code 7d}, {@code 2w}), ending now.
 */
public record ReportWindow(Instant from, Instant to) {
    /** The longest window: the attempt history is kept, but a summary of more than a year is not a summary. */
    public static final Duration MAX = Duration.ofDays(366);
    private static final Pattern LENGTH = Pattern.compile("(\\d{1,6})([smhdw])");

    public ReportWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a report window must start before it ends: " + from + " .. " + to);
        }
    }

    /** The {@code length} up to now. */
    public static ReportWindow last(Duration length, Clock clock) {
        Instant now = clock.instant();
        return new ReportWindow(now.minus(length), now.plusMillis(1));
    }

    /**
     * Parses a length such as {@code 7d}.
     *
     * @throws IllegalArgumentException with what to write instead
     */
    public static Duration parseLength(String text) {
        Matcher m = LENGTH.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a time length; write a number and a unit as in "
                    + "Postfix: 90s, 30m, 4h, 7d, 2w");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        if (d.isZero() || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is outside 1s .. " + MAX.toDays() + "d");
        }
        return d;
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** The slot length for a refusals-over-time view: hours for up to two days, else days. */
    public Duration slot() {
        return length().compareTo(Duration.ofDays(2).plusMillis(1)) <= 0 ? Duration.ofHours(1) : Duration.ofDays(1);
    }
}
