package dev.doublelock.queue;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Testing mode, for one recipient domain: the messages handed over in a time window although the policy would have
 * refused the session (see {@link QueueStore#wouldRefuse}). Observation only: what was recorded, not what enforcing
 * would mean.
 *
 * @param domain           the recipient domain, lower case ({@code ""} for attempts recorded without one)
 * @param messages         distinct messages
 * @param sessions         attempts (sessions) that would have been refused
 * @param last             the latest of those attempts
 * @param messagesByCode   per finding code, the distinct messages whose sessions it would have refused for; in
 *                         descending count, then code order
 */
public record WouldRefuseCount(String domain, long messages, long sessions, Instant last,
                               Map<String, Long> messagesByCode) {
    public WouldRefuseCount {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(last, "last");
        messagesByCode = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(messagesByCode));
    }
}
