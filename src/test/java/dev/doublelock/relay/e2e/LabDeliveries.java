package dev.doublelock.relay.e2e;

import dev.doublelock.lab.RecordStore;
import dev.doublelock.lab.SessionRecord;
import dev.doublelock.lab.Verdict;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
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
                // every message of the session counts (a relay may deliver several over one connection)
                List<String> ids = r.messageIds().stream().map(Submitter::bare)
                        .filter(id -> id != null && id.startsWith(prefix)).toList();
                if (!ids.isEmpty() && r.verdict() == Verdict.DELIVERED) {
                    for (String id : ids) deliveries.merge(id, 1, Integer::sum);
                    byEhlo.merge(String.valueOf(r.ehloName()), ids.size(), Integer::sum);
                } else if (!ids.isEmpty() || r.messages() == 0) {
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
