package dev.doublelock.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * What waits for one recipient domain for one reason: the recipients still PENDING in messages that wait (QUEUED,
 * DELIVERING, DEFERRED, HELD) whose last reason ({@link QueueStore#noteReasons}) is the same text.
 *
 * @param domain     the recipients' domain, lower case
 * @param reason     their last reason, in words with finding codes in brackets; {@code ""} if none was noted yet
 *                   (not tried yet)
 * @param messages   how many messages
 * @param recipients how many recipients (a message may have several in one domain)
 * @param oldest     when the oldest of those messages was queued
 */
public record WaitingCount(String domain, String reason, long messages, long recipients, Instant oldest) {
    public WaitingCount {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(oldest, "oldest");
    }
}
