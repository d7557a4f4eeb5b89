package dev.doublelock.relay.e2e;

import dev.doublelock.lab.RecordStore;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.lab.Verdict;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the lab saw, per Message-ID: how many sessions delivered a message with that ID (the relay opens one session
 * per message), and every other session's verdict. Only Message-IDs starting with a prefix count.
 *
 * @param deliveries  bare Message-ID → sessions that delivered it
 * @param otherVerdicts verdict → sessions of this run that delivered nothing, or delivered in a way that is not
 *                    {@link Verdict#DELIVERED}
 * @param byEhloName  EHLO name of the delivering client (the relay's host name) → deliveries of this run
 */
record LabDeliveries(Map<String, Integer> deliveries, Map<Verdict, Integer> otherVerdicts,
                     Map<String, Integer> byEhloName) {

    static LabDeliveries read(Path labDataDir, String prefix) {
        Map<String, Integer> deliveries = new TreeMap<>();
        Map<Verdict, Integer> other = new TreeMap<>();
        Map<String, Integer> byEhlo = new TreeMap<>();
        try (RecordStore records = RecordStore.openDefault(labDataDir)) {
            for (SessionRecord r : records.all(0)) {
                String id = Submitter.bare(r.messageId());
                boolean ours = id != null && id.startsWith(prefix);
                if (ours && r.messages() > 0 && r.verdict() == Verdict.DELIVERED) {
                    deliveries.merge(id, r.messages(), Integer::sum);
                    byEhlo.merge(String.valueOf(r.ehloName()), r.messages(), Integer::sum);
                } else if (ours || r.messages() == 0) {
                    other.merge(r.verdict(), 1, Integer::sum);
                }
            }
        }
        return new LabDeliveries(deliveries, other, byEhlo);
    }

    /** Polls the lab's records until every one of {@code expected} was delivered, or the timeout passes. */
    static LabDeliveries await(Path labDataDir, String prefix, Collection<String> expected, Duration timeout)
            throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (true) {
            LabDeliveries now = read(labDataDir, prefix);
            if (now.deliveries().keySet().containsAll(expected) || Instant.now().isAfter(end)) return now;
            Thread.sleep(250);
        }
    }

    /** Deliveries beyond the first of each message. */
    int duplicates() {
        return deliveries.values().stream().mapToInt(n -> n - 1).sum();
    }

    int distinct() {
        return deliveries.size();
    }
}
