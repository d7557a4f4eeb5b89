package dev.doublelock.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

import dev.doublelock.tls.ChainInspector;

/**
 * What the engine needs besides the observation: who is trusted, what time it is (expiry) and for which year
 * compliance is judged (BSI "use until" dates, {@code --year}).
 */
public record PolicyContext(ChainInspector inspector, Instant now, int complianceYear) {
    public PolicyContext {
        Objects.requireNonNull(inspector, "inspector");
        Objects.requireNonNull(now, "now");
    }

    /** Now, judged for the current (UTC) year. */
    public static PolicyContext of(ChainInspector inspector) {
        Instant now = Instant.now();
        return new PolicyContext(inspector, now, now.atZone(ZoneOffset.UTC).getYear());
    }

    public PolicyContext withYear(int year) {
        return new PolicyContext(inspector, now, year);
    }
}
