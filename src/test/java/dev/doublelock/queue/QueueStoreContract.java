package dev.doublelock.queue;

import dev.doublelock.policy.mtasts.CachedPolicy;
import dev.doublelock.policy.mtasts.StsPolicy;
import dev.doublelock.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QueueStore} backend must do. Subclasses supply a fresh, empty database URL per
 * test; each test opens stores on it with a {@link MutableClock}.
 */
abstract class QueueStoreContract {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(5);

    final MutableClock clock = new MutableClock(T0);
    private final List<QueueStore> opened = new ArrayList<>();

    /** A JDBC URL of an empty database (or schema) reserved for the current test. */
    abstract String url();

    QueueStore open() {
        QueueStore store = QueueStores.open(url(), clock);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(QueueStore::close);
        opened.clear();
    }

    static Envelope envelope(String... recipients) {
        return new Envelope("alice@example.org", List.of(recipients), Map.of("BODY", "8BITMIME", "ENVID", "e-1"));
    }

    static byte[] message(String id, String body) {
        return ("Message-ID: " + id + "\r\nSubject: test\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEnqueuedMessageSurvivesReopeningByteForByte() {
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        byte[] withHeader = concat(message("<a@x>", ""), bytes);
        long id;
        try (QueueStore first = QueueStores.open(url(), clock)) {
            id = first.enqueue(envelope("bob@example.net", "carol@example.com"), withHeader);
        }
        QueueStore second = open();
        assertThat(second.messageBytes(id)).isEqualTo(withHeader);
        QueuedMessage m = second.find(id).orElseThrow();
        assertThat(m.envelope()).isEqualTo(envelope("bob@example.net", "carol@example.com"));
        assertThat(m.messageId()).isEqualTo("<a@x>");
        assertThat(m.size()).isEqualTo(withHeader.length);
        assertThat(m.state()).isEqualTo(State.QUEUED);
        assertThat(m.queuedAt()).isEqualTo(T0);
        assertThat(m.nextAttemptAt()).isEqualTo(T0);
        assertThat(m.attempts()).isZero();
        assertThat(m.recipients()).containsExactly(Map.entry("bob@example.net", RecipientState.PENDING),
                Map.entry("carol@example.com", RecipientState.PENDING));
    }

    @Test
    void theNullSenderAndAnEmptyMessageRoundTrip() throws Exception {
        QueueStore store = open();
        long id = store.enqueue(new Envelope("", List.of("postmaster@example.net")), new byte[0]);
        assertThat(store.find(id).orElseThrow().envelope().nullSender()).isTrue();
        assertThat(store.openMessage(id).readAllBytes()).isEmpty();
        assertThat(store.find(id).orElseThrow().messageId()).isEmpty();
    }

    @Test
    void claimingMarksDeliveringUnderALeaseAndCountsTheAttempt() {
        QueueStore store = open();
        long a = store.enqueue(envelope("b@x"), message("<1@x>", "one"));
        long b = store.enqueue(envelope("c@x"), message("<2@x>", "two"));
        List<QueuedMessage> claimed = store.claimDue("node-a", T0, 10, LEASE);
        assertThat(claimed).extracting(QueuedMessage::id).containsExactly(a, b);
        assertThat(claimed).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(State.DELIVERING);
            assertThat(m.claimedBy()).isEqualTo("node-a");
            assertThat(m.leaseUntil()).isEqualTo(T0.plus(LEASE));
            assertThat(m.attempts()).isEqualTo(1);
        });
        assertThat(store.claimDue("node-b", T0.plus(LEASE).minusMillis(1), 10, LEASE)).isEmpty();
    }

    @Test
    void claimRespectsMaxAndDueTimeOldestFirst() {
        QueueStore store = open();
        long early = store.enqueue(envelope("b@x"), message("<1@x>", "1"));
        clock.advance(Duration.ofSeconds(1));
        long later = store.enqueue(envelope("b@x"), message("<2@x>", "2"));
        long future = store.enqueue(envelope("b@x"), message("<3@x>", "3"));
        store.defer(future, T0.plus(Duration.ofHours(1)));
        Duration longLease = Duration.ofHours(2);
        assertThat(store.claimDue("n", T0.plus(Duration.ofMinutes(1)), 1, longLease)).extracting(QueuedMessage::id)
                .containsExactly(early);
        assertThat(store.claimDue("n", T0.plus(Duration.ofMinutes(1)), 5, longLease)).extracting(QueuedMessage::id)
                .containsExactly(later);
        assertThat(store.claimDue("n", T0.plus(Duration.ofHours(1)), 5, longLease)).extracting(QueuedMessage::id)
                .containsExactly(future);
    }

    @Test
    void anExpiredLeaseIsTakenOverByAnotherNode() {
        QueueStore store = open();
        long id = store.enqueue(envelope("b@x"), message("<1@x>", "1"));
        store.claimDue("dead-node", T0, 10, LEASE);
        List<QueuedMessage> taken = store.claimDue("live-node", T0.plus(LEASE), 10, LEASE);
        assertThat(taken).extracting(QueuedMessage::id).containsExactly(id);
        assertThat(taken.getFirst().claimedBy()).isEqualTo("live-node");
        assertThat(taken.getFirst().attempts()).isEqualTo(2);
        clock.advance(LEASE);
        assertThat(store.renewLease(id, "dead-node", LEASE)).as("the old holder lost it").isFalse();
        assertThat(store.renewLease(id, "live-node", LEASE)).isTrue();
    }

    @Test
    void renewingALeaseKeepsOthersAway() {
        QueueStore store = open();
        long id = store.enqueue(envelope("b@x"), message("<1@x>", "1"));
        store.claimDue("a", T0, 10, LEASE);
        clock.advance(Duration.ofMinutes(4));
        assertThat(store.renewLease(id, "a", LEASE)).isTrue();
        assertThat(store.find(id).orElseThrow().leaseUntil()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(store.claimDue("b", T0.plus(Duration.ofMinutes(6)), 10, LEASE)).isEmpty();
        assertThat(store.renewLease(id, "b", LEASE)).isFalse();
    }

    @Test
    void recoveryRequeuesOnlyExpiredLeases() {
        QueueStore store = open();
        long old = store.enqueue(envelope("b@x"), message("<1@x>", "1"));
        store.claimDue("crashed", T0, 1, Duration.ofMinutes(1));
        long fresh = store.enqueue(envelope("b@x"), message("<2@x>", "2"));
        store.claimDue("alive", T0, 1, Duration.ofMinutes(10));
        assertThat(store.recoverExpiredLeases(T0.plus(Duration.ofMinutes(2)))).isEqualTo(1);
        QueuedMessage recovered = store.find(old).orElseThrow();
        assertThat(recovered.state()).isEqualTo(State.QUEUED);
        assertThat(recovered.claimedBy()).isNull();
        assertThat(recovered.leaseUntil()).isNull();
        assertThat(store.find(fresh).orElseThrow().state()).isEqualTo(State.DELIVERING);
        assertThat(store.recoverExpiredLeases(T0.plus(Duration.ofMinutes(2)))).isZero();
    }

    @Test
    void attemptsAreAppendedInOrderAndRoundTrip() {
        QueueStore store = open();
        long id = store.enqueue(envelope("b@x"), message("<1@x>", "1"));
        Attempt refused = new Attempt(T0, "mx1.example.net", "192.0.2.1", "TLSv1", "TLS_RSA_WITH_AES_128_CBC_SHA",
                "fail", List.of("PROTOCOL_NOT_RECOMMENDED", "CIPHER_NOT_RECOMMENDED"), "TLS 1.0 negotiated",
                0, null, null, Duration.ofMillis(321), "refused");
        Attempt deferred = new Attempt(T0.plusSeconds(1), "mx2.example.net", "2001:db8::2", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", "pass", List.of(), null, 451, "4.3.0", "try later", Duration.ofSeconds(2),
                "deferred");
        store.recordAttempt(id, refused);
        store.recordAttempt(id, deferred);
        assertThat(store.attempts(id)).containsExactly(refused, deferred);
        Attempt plain = new Attempt(T0.plusSeconds(2), null, null, null, null, null, null, null, 0, null, null,
                Duration.ZERO, "bounced");
        store.recordAttempt(id, plain);
        assertThat(store.attempts(id)).containsExactly(refused, deferred, plain);
    }

    @Test
    void partialDeliveryRetriesOnlyPendingRecipients() {
        QueueStore store = open();
        long id = store.enqueue(envelope("ok@x", "refused@x", "later@y"), message("<1@x>", "1"));
        store.claimDue("n", T0, 1, LEASE);
        State after = store.markDelivered(id, Map.of("ok@x", RecipientState.DELIVERED, "refused@x", RecipientState.FAILED));
        assertThat(after).isEqualTo(State.DELIVERING);
        assertThat(store.defer(id, T0.plus(Duration.ofMinutes(5)), "451 greylisted")).isTrue();
        QueuedMessage m = store.find(id).orElseThrow();
        assertThat(m.state()).isEqualTo(State.DEFERRED);
        assertThat(m.reason()).isEqualTo("451 greylisted");
        assertThat(m.pendingRecipients()).containsExactly("later@y");
        assertThat(m.recipientsIn(RecipientState.FAILED)).containsExactly("refused@x");
        store.claimDue("n", T0.plus(Duration.ofMinutes(5)), 1, LEASE);
        assertThat(store.markDelivered(id, Map.of("later@y", RecipientState.DELIVERED))).isEqualTo(State.DELIVERED);
        QueuedMessage done = store.find(id).orElseThrow();
        assertThat(done.state()).isEqualTo(State.DELIVERED);
        assertThat(done.claimedBy()).isNull();
        assertThat(done.attempts()).isEqualTo(2);
    }

    @Test
    void allRecipientsFailedMeansBounced() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x", "b@x"), message("<1@x>", "1"));
        assertThat(store.markDelivered(id, Map.of("a@x", RecipientState.FAILED, "b@x", RecipientState.FAILED)))
                .isEqualTo(State.BOUNCED);
    }

    @Test
    void markingAnUnknownRecipientFailsAndChangesNothing() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x", "b@x"), message("<1@x>", "1"));
        assertThatThrownBy(() -> store.markDelivered(id, Map.of("a@x", RecipientState.DELIVERED,
                "nobody@x", RecipientState.DELIVERED))).isInstanceOf(QueueException.class).hasMessageContaining("nobody@x");
        assertThat(store.find(id).orElseThrow().pendingRecipients()).containsExactly("a@x", "b@x");
    }

    @Test
    void bounceFailsPendingRecipientsAndIsFinal() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x", "b@x"), message("<1@x>", "1"));
        store.markDelivered(id, Map.of("a@x", RecipientState.DELIVERED));
        assertThat(store.bounce(id, "gave up after 5 days")).isTrue();
        QueuedMessage m = store.find(id).orElseThrow();
        assertThat(m.state()).isEqualTo(State.BOUNCED);
        assertThat(m.reason()).isEqualTo("gave up after 5 days");
        assertThat(m.recipients()).containsExactly(Map.entry("a@x", RecipientState.DELIVERED),
                Map.entry("b@x", RecipientState.FAILED));
        assertThat(store.defer(id, T0)).isFalse();
        assertThat(store.retryNow(id)).isFalse();
        assertThat(store.bounce(id, "again")).isFalse();
        assertThat(store.markDelivered(id, Map.of("b@x", RecipientState.DELIVERED))).isEqualTo(State.BOUNCED);
        assertThat(store.claimDue("n", T0.plus(Duration.ofDays(9)), 10, LEASE)).isEmpty();
    }

    @Test
    void deleteDiscardsTheBytesButKeepsTheRecord() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x"), message("<1@x>", "secret"));
        assertThat(store.delete(id)).isTrue();
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.DELETED);
        assertThatThrownBy(() -> store.messageBytes(id)).isInstanceOf(QueueException.class)
                .hasMessageContaining("DELETED");
        assertThat(store.delete(id)).isFalse();
        assertThat(store.claimDue("n", T0.plusSeconds(60), 10, LEASE)).isEmpty();
    }

    @Test
    void retryNowMakesADeferredMessageDueImmediately() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x"), message("<1@x>", "1"));
        store.defer(id, T0.plus(Duration.ofHours(2)));
        clock.advance(Duration.ofMinutes(3));
        assertThat(store.retryNow(id)).isTrue();
        QueuedMessage m = store.find(id).orElseThrow();
        assertThat(m.state()).isEqualTo(State.QUEUED);
        assertThat(m.nextAttemptAt()).isEqualTo(clock.instant());
        assertThat(store.claimDue("n", clock.instant(), 10, LEASE)).hasSize(1);
    }

    @Test
    void aHeldMessageIsNeverClaimedUntilReleased() {
        QueueStore store = open();
        long held = store.enqueue(envelope("a@x"), message("<1@x>", "1"));
        long other = store.enqueue(envelope("b@x"), message("<2@x>", "2"));
        assertThat(store.hold(held)).isTrue();
        assertThat(store.hold(held)).as("already held").isFalse();
        assertThat(store.find(held).orElseThrow().state()).isEqualTo(State.HELD);
        assertThat(store.claimDue("n", T0.plus(Duration.ofDays(1)), 10, LEASE)).extracting(QueuedMessage::id)
                .containsExactly(other);
        assertThat(store.retryNow(held)).as("retry does not release").isFalse();
        assertThat(store.defer(held, T0.plusSeconds(5), "x")).as("a run that ends meanwhile leaves it held").isFalse();
        assertThat(store.list(Set.of(State.HELD), 10)).extracting(QueuedMessage::id).containsExactly(held);
        assertThat(store.counts()).containsEntry(State.HELD, 1L);
        clock.advance(Duration.ofMinutes(7));
        assertThat(store.release(held)).isTrue();
        assertThat(store.release(held)).as("no longer held").isFalse();
        QueuedMessage m = store.find(held).orElseThrow();
        assertThat(m.state()).isEqualTo(State.QUEUED);
        assertThat(m.nextAttemptAt()).isEqualTo(clock.instant());
        assertThat(store.claimDue("n2", clock.instant(), 10, LEASE)).extracting(QueuedMessage::id).containsExactly(held);
        assertThat(store.hold(held)).as("DELIVERING cannot be held").isFalse();
        assertThatThrownBy(() -> store.hold(999_999)).isInstanceOf(QueueException.class);
    }

    @Test
    void reasonsAreKeptPerRecipient() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x", "b@y", "c@z"), message("<1@x>", "1"));
        store.noteReasons(id, Map.of("a@x", "4.7.5 refused by policy at mx.x: EXPIRED_CERTIFICATE",
                "b@y", "4.4.1 no answer from mx.y"));
        store.noteReasons(id, Map.of("b@y", "4.2.0 452 mailbox full"));
        store.noteReasons(id, Map.of());
        QueuedMessage m = store.find(id).orElseThrow();
        assertThat(m.recipientReasons()).containsExactly(
                Map.entry("a@x", "4.7.5 refused by policy at mx.x: EXPIRED_CERTIFICATE"),
                Map.entry("b@y", "4.2.0 452 mailbox full"));
        assertThat(m.state()).as("no state change").isEqualTo(State.QUEUED);
        assertThatThrownBy(() -> store.noteReasons(id, Map.of("nobody@x", "r"))).isInstanceOf(QueueException.class)
                .hasMessageContaining("nobody@x");
        assertThat(store.list(Set.of(), 10).getFirst().recipientReasons()).hasSize(2);
    }

    static Attempt attempt(Instant at, String domain, String outcome, List<String> refusalCodes, boolean wouldRefuse) {
        return new Attempt(at, "mx." + domain, "192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "bsi", refusalCodes, "",
                outcome.equals("refused") ? 0 : 250, null, null, Duration.ofMillis(3), outcome, domain, refusalCodes,
                wouldRefuse);
    }

    @Test
    void refusalsAndTestingModesWouldBeRefusalsAreCountedPerCodeSlotAndDomain() {
        QueueStore store = open();
        List<String> expired = List.of("EXPIRED_CERTIFICATE");
        long a = store.enqueue(envelope("u@expired.test", "w@good.test"), message("<a@x>", "a"));
        long b = store.enqueue(envelope("u@expired.test"), message("<b@x>", "b"));
        long c = store.enqueue(envelope("x@self.test"), message("<c@x>", "c"));
        store.recordAttempt(a, attempt(T0, "expired.test", "delivered", expired, true));
        store.recordAttempt(a, attempt(T0, "good.test", "delivered", List.of(), false));
        store.recordAttempt(b, attempt(T0.plus(Duration.ofMinutes(10)), "Expired.TEST", "deferred", expired, true));
        store.recordAttempt(b, attempt(T0.plus(Duration.ofMinutes(20)), "expired.test", "delivered", expired, true));
        store.recordAttempt(c, attempt(T0.plus(Duration.ofMinutes(65)), "self.test", "delivered",
                List.of("UNKNOWN_ISSUER", "WEAK_KEY"), true));
        store.recordAttempt(c, attempt(T0.plus(Duration.ofMinutes(70)), "self.test", "refused", List.of("UNKNOWN_ISSUER"),
                false));
        // an attempt recorded as before the refusal's codes were kept: its finding codes stand in
        store.recordAttempt(c, new Attempt(T0.plus(Duration.ofMinutes(75)), "mx.self.test", null, null, null, "bsi",
                List.of("NO_STARTTLS"), "", 0, null, null, Duration.ZERO, "refused"));
        store.recordAttempt(a, attempt(T0.minus(Duration.ofDays(1)), "old.test", "delivered", expired, true)); // outside
        store.recordAttempt(a, attempt(T0.plus(Duration.ofHours(2)), "late.test", "refused", expired, false)); // outside

        WouldRefuseCounts w = store.wouldRefuse(T0, T0.plus(Duration.ofHours(2)));
        assertThat(w.messages()).as("a, b and c, b counted once").isEqualTo(3);
        assertThat(w.attemptedMessages()).isEqualTo(3);
        assertThat(w.attempts()).isEqualTo(7);
        assertThat(w.domains()).containsExactly(
                new WouldRefuseCount("expired.test", 2, 3, T0.plus(Duration.ofMinutes(20)),
                        Map.of("EXPIRED_CERTIFICATE", 2L)),
                new WouldRefuseCount("self.test", 1, 1, T0.plus(Duration.ofMinutes(65)),
                        Map.of("UNKNOWN_ISSUER", 1L, "WEAK_KEY", 1L)));
        assertThat(store.attempts(b).getFirst()).satisfies(x -> {
            assertThat(x.domain()).isEqualTo("expired.test");
            assertThat(x.refusalCodes()).containsExactly("EXPIRED_CERTIFICATE");
            assertThat(x.wouldRefuse()).isTrue();
        });
        assertThat(store.attempts(c).getLast().domain()).isNull();

        Instant eleven = T0.plus(Duration.ofHours(1));
        assertThat(store.refusals(T0, T0.plus(Duration.ofHours(2)), Duration.ofHours(1))).containsExactly(
                new RefusalCount(T0, "EXPIRED_CERTIFICATE", 0, 3),
                new RefusalCount(eleven, "NO_STARTTLS", 1, 0),
                new RefusalCount(eleven, "UNKNOWN_ISSUER", 1, 1),
                new RefusalCount(eleven, "WEAK_KEY", 0, 1));
        Instant day = Instant.parse("2025-03-01T00:00:00Z");
        assertThat(store.refusals(T0.minus(Duration.ofDays(2)), T0.plus(Duration.ofDays(1)), Duration.ofDays(1)))
                .contains(new RefusalCount(day.minus(Duration.ofDays(1)), "EXPIRED_CERTIFICATE", 0, 1),
                        new RefusalCount(day, "EXPIRED_CERTIFICATE", 1, 3))
                .hasSize(5);
        assertThat(store.wouldRefuse(T0.plus(Duration.ofDays(9)), T0.plus(Duration.ofDays(10))))
                .isEqualTo(new WouldRefuseCounts(0, 0, 0, List.of()));
    }

    @Test
    void whatWaitsIsCountedPerDomainAndReason() {
        QueueStore store = open();
        String expired = "4.7.5 TLS refused by policy at mx.expired.test: the receiving server's certificate expired "
                + "[EXPIRED_CERTIFICATE]";
        long a = store.enqueue(envelope("u@expired.test", "v@Expired.test", "w@good.test"), message("<a@x>", "a"));
        clock.advance(Duration.ofMinutes(5));
        long b = store.enqueue(envelope("u@expired.test"), message("<b@x>", "b"));
        long c = store.enqueue(envelope("x@self.test"), message("<c@x>", "c"));
        long d = store.enqueue(envelope("z@slow.test"), message("<d@x>", "d"));
        store.noteReasons(a, Map.of("u@expired.test", expired, "v@Expired.test", expired));
        store.markDelivered(a, Map.of("w@good.test", RecipientState.DELIVERED));
        store.noteReasons(b, Map.of("u@expired.test", expired));
        store.noteReasons(c, Map.of("x@self.test", "4.7.5 TLS refused [UNKNOWN_ISSUER]"));
        store.markDelivered(c, Map.of("x@self.test", RecipientState.DELIVERED)); // delivered: waits no more
        assertThat(store.hold(d)).isTrue(); // held: still waits
        assertThat(store.waitingByDomain()).containsExactly(
                new WaitingCount("expired.test", expired, 2, 3, T0),
                new WaitingCount("slow.test", "", 1, 1, T0.plus(Duration.ofMinutes(5))));
        store.delete(b);
        assertThat(store.waitingByDomain().getFirst()).isEqualTo(new WaitingCount("expired.test", expired, 1, 2, T0));
    }

    @Test
    void tlsReportCountsAddUpPerDayPolicyAndOutcomeAcrossStores() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x"), message("<1@x>", "1"));
        Attempt a = new Attempt(T0, "mx.x", "192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "PASS", List.of(), "",
                250, "2.0.0", "250 ok", Duration.ofMillis(5), "delivered");
        List<String> sts = List.of("version: STSv1", "mode: enforce", "mx: mx.x", "max_age: 86400");
        var ok = new dev.doublelock.tlsrpt.SessionResult(T0, "sts", sts, "X", "MX.x", java.util.Optional.empty());
        var expired = new dev.doublelock.tlsrpt.SessionResult(T0.plusSeconds(60), "sts", sts, "x", "mx.x",
                java.util.Optional.of(new dev.doublelock.tlsrpt.SessionResult.Failure("certificate-expired", "192.0.2.9",
                        "mx.x", "192.0.2.1", "EXPIRED_CERTIFICATE")));
        store.recordAttempt(id, a, ok);
        store.recordAttempt(id, a, ok);
        store.recordAttempt(id, a, expired);
        try (QueueStore other = QueueStores.open(url(), clock)) {
            other.recordAttempt(id, a, expired); // another node of the same queue adds to the same counts
            other.recordAttempt(id, a, new dev.doublelock.tlsrpt.SessionResult(T0.plus(Duration.ofDays(1)), "no-policy-found",
                    List.of(), "y", "mx.y", java.util.Optional.empty()));
        }
        java.time.LocalDate day = T0.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        List<dev.doublelock.tlsrpt.ResultCount> counts = store.tlsResults(day);
        assertThat(counts).hasSize(2);
        assertThat(counts).allMatch(c -> c.policyDomain().equals("x") && c.mxHost().equals("mx.x")
                && c.policyStrings().equals(sts));
        assertThat(counts).filteredOn(c -> c.failure().isEmpty()).singleElement()
                .extracting(dev.doublelock.tlsrpt.ResultCount::sessions).isEqualTo(2L);
        assertThat(counts).filteredOn(c -> c.failure().isPresent()).singleElement().satisfies(c -> {
            assertThat(c.sessions()).isEqualTo(2L);
            assertThat(c.failure().get().resultType()).isEqualTo("certificate-expired");
            assertThat(c.failure().get().receivingIp()).isEqualTo("192.0.2.1");
        });
        assertThat(store.tlsResults(day.plusDays(1))).singleElement()
                .satisfies(c -> assertThat(c.policyStrings()).isEmpty());
        assertThat(store.attempts(id)).as("the attempts are recorded as always").hasSize(5);
        assertThat(store.claimTlsReport(day, "X", "node-a")).as("the first node sends").isTrue();
        try (QueueStore other = QueueStores.open(url(), clock)) {
            assertThat(other.claimTlsReport(day, "x", "node-b")).as("one report per day and domain").isFalse();
            assertThat(other.claimTlsReport(day.plusDays(1), "x", "node-b")).isTrue();
        }
    }

    /** Two nodes racing for the same day's reports (each in its own thread, on its own store): every domain once. */
    @Test
    void racingNodesClaimEachDomainsReportExactlyOnce() throws Exception {
        java.time.LocalDate day = T0.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        List<String> domains = java.util.stream.IntStream.range(0, 60).mapToObj(i -> "d" + i + ".example").toList();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.Map<String, List<String>> claims = new java.util.concurrent.ConcurrentHashMap<>();
        try (QueueStore a = QueueStores.open(url(), clock); QueueStore b = QueueStores.open(url(), clock);
             var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (var node : List.of(java.util.Map.entry("node-a", a), java.util.Map.entry("node-b", b))) {
                runs.add(pool.submit(() -> {
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    for (String d : domains) {
                        if (node.getValue().claimTlsReport(day, d, node.getKey())) {
                            claims.computeIfAbsent(d, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(node.getKey());
                        }
                    }
                    return null;
                }));
            }
            for (var r : runs) r.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(claims.keySet()).containsExactlyInAnyOrderElementsOf(domains);
        assertThat(claims.values()).allSatisfy(nodes -> assertThat(nodes).hasSize(1));
    }

    @Test
    void flushMakesEveryWaitingMessageDueNow() {
        QueueStore store = open();
        long a = store.enqueue(envelope("a@x"), message("<1@x>", "1"));
        long b = store.enqueue(envelope("b@x"), message("<2@x>", "2"));
        long c = store.enqueue(envelope("c@x"), message("<3@x>", "3"));
        store.defer(a, T0.plus(Duration.ofHours(2)), "later");
        store.defer(b, T0.plus(Duration.ofHours(3)), "later");
        store.hold(c);
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.flush()).isEqualTo(2);
        assertThat(store.claimDue("n", clock.instant(), 10, LEASE)).extracting(QueuedMessage::id)
                .containsExactlyInAnyOrder(a, b);
        assertThat(store.find(c).orElseThrow().state()).as("held stays held").isEqualTo(State.HELD);
    }

    @Test
    void theDelayNoticeIsMarkedOnce() {
        QueueStore store = open();
        long id = store.enqueue(envelope("a@x"), message("<1@x>", "1"));
        Instant at = T0.plus(Duration.ofHours(4));
        assertThat(store.markDelayNoticeSent(id, at)).isTrue();
        assertThat(store.markDelayNoticeSent(id, at.plusSeconds(1))).isFalse();
        assertThat(store.find(id).orElseThrow().delayNoticeSentAt()).isEqualTo(at);
    }

    @Test
    void listAndCountsReflectStates() {
        QueueStore store = open();
        long queued = store.enqueue(envelope("a@x"), message("<1@x>", "1"));
        long deferred = store.enqueue(envelope("a@x"), message("<2@x>", "2"));
        long delivered = store.enqueue(envelope("a@x"), message("<3@x>", "3"));
        long deleted = store.enqueue(envelope("a@x"), message("<4@x>", "4"));
        store.defer(deferred, T0.plusSeconds(600));
        store.markDelivered(delivered, Map.of("a@x", RecipientState.DELIVERED));
        store.delete(deleted);
        assertThat(store.counts()).containsExactlyInAnyOrderEntriesOf(Map.of(State.QUEUED, 1L, State.DEFERRED, 1L,
                State.DELIVERED, 1L, State.DELETED, 1L, State.DELIVERING, 0L, State.BOUNCED, 0L, State.HELD, 0L));
        assertThat(store.list(Set.of(State.QUEUED, State.DEFERRED), 10)).extracting(QueuedMessage::id)
                .containsExactly(queued, deferred);
        assertThat(store.list(Set.of(), 10)).extracting(QueuedMessage::id)
                .containsExactly(queued, deferred, delivered, deleted);
        assertThat(store.list(Set.of(), deferred, 10)).as("the page after 'deferred'").extracting(QueuedMessage::id)
                .containsExactly(delivered, deleted);
        assertThat(store.list(Set.of(State.QUEUED, State.DELETED), queued, 1)).extracting(QueuedMessage::id)
                .containsExactly(deleted);
        assertThat(store.list(Set.of(), 2)).extracting(QueuedMessage::id).containsExactly(queued, deferred);
    }

    @Test
    void unknownIdsAreReportedClearly() {
        QueueStore store = open();
        assertThat(store.find(999)).isEmpty();
        assertThatThrownBy(() -> store.messageBytes(999)).isInstanceOf(QueueException.class).hasMessageContaining("999");
        assertThatThrownBy(() -> store.defer(999, T0)).isInstanceOf(QueueException.class).hasMessageContaining("999");
        assertThatThrownBy(() -> store.attempts(999)).isInstanceOf(QueueException.class);
    }

    @Test
    void migrationsAreIdempotent() throws Exception {
        long id;
        try (QueueStore first = QueueStores.open(url(), clock)) {
            id = first.enqueue(envelope("a@x"), message("<1@x>", "1"));
        }
        try (QueueStore second = QueueStores.open(url(), clock)) {
            assertThat(second.find(id)).isPresent();
        }
        int scripts = Migrations.scripts(dialect()).size();
        assertThat(scripts).isPositive();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(scripts);
            assertThat(rs.getInt(2)).isEqualTo(scripts);
            assertThat(rs.getInt(3)).isEqualTo(scripts);
        }
    }

    @Test
    void aDatabaseFromANewerVersionIsRefused() throws Exception {
        open().close();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.executeUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (999, 'future', 0)");
        }
        assertThatThrownBy(() -> QueueStores.open(url(), clock)).isInstanceOf(QueueException.class)
                .hasMessageContaining("999");
    }

    abstract Dialect dialect();

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static CachedPolicy stsPolicy(String id, long maxAge, Instant fetchedAt) {
        return new CachedPolicy(id, new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("mx1.example.net", "*.mx.example.net"),
                maxAge), fetchedAt);
    }

    @Test
    void mtaStsPoliciesSurviveReopeningAndAreSharedByTheStoresOfOneQueue() {
        CachedPolicy first = stsPolicy("20250301", 86_400, T0);
        try (QueueStore a = QueueStores.open(url(), clock)) {
            assertThat(a.stsCache().get("example.net")).isEmpty();
            a.stsCache().put("Example.NET", first);
            assertThat(a.stsCache().get("example.net")).contains(first);
        }
        QueueStore b = open();
        assertThat(b.stsCache().get("EXAMPLE.net")).as("after a restart").contains(first);
        assertThat(b.stsCache().get("other.example")).isEmpty();

        QueueStore c = open();
        CachedPolicy second = new CachedPolicy("20250302", new StsPolicy(StsPolicy.Mode.TESTING, List.of("mx2.example.net"),
                604_800), T0.plus(Duration.ofDays(1)));
        c.stsCache().put("example.net", second);
        assertThat(c.stsCache().get("example.net")).contains(second);
        QueueStore d = open();
        assertThat(d.stsCache().get("example.net")).as("a node starting later sees the newer policy").contains(second);
    }

    @Test
    void aStoredMtaStsPolicyThatNoLongerParsesIsIgnored() throws Exception {
        try (QueueStore a = QueueStores.open(url(), clock)) {
            a.stsCache().put("example.net", stsPolicy("1", 86_400, T0));
        }
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.executeUpdate("UPDATE sts_policy SET policy = 'version: STSv9' WHERE domain = 'example.net'");
        }
        QueueStore b = open();
        assertThat(b.stsCache().get("example.net")).isEmpty();
        CachedPolicy fresh = stsPolicy("2", 86_400, T0);
        b.stsCache().put("example.net", fresh);
        assertThat(open().stsCache().get("example.net")).contains(fresh);
    }
}
