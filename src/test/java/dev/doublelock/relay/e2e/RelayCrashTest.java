package dev.doublelock.relay.e2e;

import dev.doublelock.lab.Verdict;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.State;
import dev.doublelock.testing.LabProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety: N messages flow through a relay (its own JVM, SQLite queue) to the lab's {@code good} profile
 * while the relay is killed with SIGKILL at random moments and restarted on the same queue. Every message that got
 * a 250 must reach the lab at least once; duplicates (killed after the remote 250 but before the queue update) are
 * allowed and reported.
 */
@Timeout(240)
class RelayCrashTest {
    private static final int MESSAGES = 200;
    private static final int KILLS = 3;
    private static final int SENDERS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcceptedMessageIsDeliveredDespiteKill9() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String prefix = "crash-" + Long.toHexString(seed) + "-";
        Instant began = Instant.now();
        try (LabProcess lab = LabProcess.start(dir.resolve("lab"))) {
            Path queue = dir.resolve("relay/queue.db");
            Path config = RelayConfigFile.write(dir.resolve("relay.json"), "relay-crash.test", dir.resolve("relay"), queue.toString(),
                    lab.caFile(), lab.port("good"), 32, 3);
            AtomicReference<RelayProcess> relay = new AtomicReference<>(RelayProcess.start(config));
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger refusedTries = new AtomicInteger();
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                senders.add(Thread.ofPlatform().daemon(true).name("sender-" + s).start(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < MESSAGES) {
                        String id = prefix + i + "@e2e.test";
                        // like a real client: a message that did not get its 250 is sent again, same Message-ID
                        while (!Submitter.send(relay.get().relayAddress(), id, "user" + i + "@" + RelayConfigFile.DOMAIN)) {
                            refusedTries.incrementAndGet();
                            sleep(100);
                        }
                        accepted.add(id);
                    }
                }));
            }
            List<String> kills = new ArrayList<>();
            int orphanedTotal = 0;
            try {
                try (QueueStore watch = QueueStores.open(queue.toString())) {
                    for (int k = 0; k < KILLS; k++) {
                        // a random point within the k-th third of the flow, while deliveries are in flight
                        int threshold = MESSAGES * k / KILLS + 10 + random.nextInt(MESSAGES / KILLS - 20);
                        while (accepted.size() < threshold) Thread.sleep(5);
                        Instant patience = Instant.now().plusSeconds(10);
                        while (watch.counts().get(State.DELIVERING) == 0 && Instant.now().isBefore(patience)) {
                            Thread.sleep(5);
                        }
                        Thread.sleep(random.nextInt(100));
                        int acceptedNow = accepted.size();
                        relay.get().kill9();
                        // the relay is dead: what is DELIVERING now was cut off mid-delivery
                        long orphaned = watch.counts().get(State.DELIVERING);
                        orphanedTotal += (int) orphaned;
                        int delivered = LabDeliveries.read(lab.dataDir(), prefix).distinct();
                        kills.add("kill -9 after " + acceptedNow + " accepted, " + delivered + " delivered, " + orphaned
                                + " cut off mid-delivery");
                        Thread.sleep(random.nextInt(500));
                        relay.set(RelayProcess.start(config));
                    }
                }
                for (Thread t : senders) t.join(Duration.ofSeconds(120));
                assertThat(accepted).hasSize(MESSAGES);
                assertThat(orphanedTotal).as("some kill hit deliveries in flight: %s", kills).isPositive();

                Map<State, Long> counts = awaitEmptyQueue(queue.toString(), Duration.ofSeconds(90));
                assertThat(counts.get(State.QUEUED) + counts.get(State.DEFERRED) + counts.get(State.DELIVERING))
                        .as("queue %s; relay said:%n%s", counts, String.join("\n", relay.get().output())).isZero();
                assertThat(counts.get(State.BOUNCED)).isZero();

                LabDeliveries lab1 = LabDeliveries.await(lab.dataDir(), prefix, accepted, Duration.ofSeconds(20));
                assertThat(lab1.deliveries().keySet()).as("every message that got a 250 reached the lab")
                        .containsAll(accepted);
                assertThat(lab1.otherVerdicts().keySet()).doesNotContain(Verdict.DELIVERED_INSECURELY,
                        Verdict.PLAINTEXT_FALLBACK, Verdict.NO_TLS_DELIVERED);
                System.out.printf("RelayCrashTest (seed %d): %d messages accepted, %s; %d delivered, %d duplicates, "
                                + "%d submissions retried by the client, other lab sessions %s, queue %s, %d s%n",
                        seed, accepted.size(), kills, lab1.distinct(), lab1.duplicates(), refusedTries.get(),
                        lab1.otherVerdicts(), counts, Duration.between(began, Instant.now()).toSeconds());
            } finally {
                next.set(MESSAGES);
                relay.get().close();
            }
        }
    }

    /** Waits until nothing is queued, deferred or being delivered; returns the last counts. */
    static Map<State, Long> awaitEmptyQueue(String queue, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        try (QueueStore store = QueueStores.open(queue)) {
            while (true) {
                Map<State, Long> counts = store.counts();
                long open = counts.get(State.QUEUED) + counts.get(State.DEFERRED) + counts.get(State.DELIVERING);
                if (open == 0 || Instant.now().isAfter(end)) return counts;
                Thread.sleep(250);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
