package dev.doublelock.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 5322 §3.3 date-time in UTC with a numeric zone, e.g. {@code Thu, 3 Dec 2026 13:00:00 +0000} ("GMT" is obsolete). */
public final class MessageDate {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private MessageDate() {
    }

    public static String format(Instant at) {
        return FORMAT.format(at);
    }
}
