package dev.doublelock.queue;

import java.util.List;

/**
 * Testing mode, over a time window: the distinct messages handed over although the policy would have refused the
 * session, and the same per recipient domain (most messages first).
 *
 * @param messages          distinct messages (a message to two such domains counts once)
 * @param attemptedMessages distinct messages with any attempt in the window (the evidence the counts rest on)
 * @param attempts          attempts of any outcome in the window
 * @param domains           per recipient domain, most messages first, then by name
 */
public record WouldRefuseCounts(long messages, long attemptedMessages, long attempts, List<WouldRefuseCount> domains) {
    public WouldRefuseCounts {
        domains = List.copyOf(domains);
    }
}
