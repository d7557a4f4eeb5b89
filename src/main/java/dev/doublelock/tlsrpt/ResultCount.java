package dev.doublelock.tlsrpt;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sessions counted under one key for one UTC day, as the queue database keeps them (shared by every relay node).
 * A successful session has no failure; failures are counted per result type, sending IP, MX and receiving IP.
 */
public record ResultCount(LocalDate day, String policyType, List<String> policyStrings, String policyDomain,
                          String mxHost, Optional<SessionResult.Failure> failure, long sessions) {
    public ResultCount {
        Objects.requireNonNull(day, "day");
        policyStrings = List.copyOf(policyStrings);
        Objects.requireNonNull(failure, "failure");
        if (sessions < 1) {
            throw new IllegalArgumentException("a count is at least 1: " + sessions);
        }
    }
}
