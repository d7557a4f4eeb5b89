package dev.doublelock.relay.impact;

import java.time.Duration;

/** A window's length in words: "7 days", "24 hours", "90 minutes". */
final class Lengths {
    private Lengths() {
    }

    static String words(Duration d) {
        long s = (d.toMillis() + 500) / 1000;
        if (s % 86_400 == 0) return count(s / 86_400, "day");
        if (s % 3600 == 0) return count(s / 3600, "hour");
        if (s % 60 == 0) return count(s / 60, "minute");
        return count(s, "second");
    }

    private static String count(long n, String unit) {
        return n == 1 ? unit : n + " " + unit + "s";
    }
}
