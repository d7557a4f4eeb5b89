package dev.doublelock.relay.delivery;

import dev.doublelock.policy.transport.Mechanism;
import dev.doublelock.policy.transport.MessageDemands;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.policy.transport.TransportVerdict;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueuedMessage;
import dev.doublelock.queue.RecipientState;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.client.DeliveryResult;
import dev.doublelock.smtp.client.SmtpClientException;
import dev.doublelock.smtp.client.SmtpClientException.Phase;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * One delivery run of one claimed message: per recipient domain, route, then each hop in order until one
 * takes the message (see {@link HopDelivery}); every attempt is recorded in the queue's history, the delivery
 * log and the metrics. Returns per-recipient results; {@link DeliveryWorker} finishes the message.
 */
final class MessageRun {
    /** One human line per delivery attempt ({@code doublelock.delivery}), beside the JSON delivery log. */
    private static final org.slf4j.Logger HUMAN = org.slf4j.LoggerFactory.getLogger("doublelock.delivery");
    /** Results of the run: final outcomes, permanent failures (bounce now) and temporary ones (retry). */
    record Result(Map<String, RecipientState> outcomes, Map<String, RecipientFailure> permanent,
                  Map<String, RecipientFailure> temporary) {
    }

    private final QueueStore store;
    private final Router router;
    private final DeliveryOptions options;
    private final HopDelivery hops;
    private final TlsSetup tls;
    private final DeliveryMetrics metrics;
    private final Optional<DeliveryLog> log;
    private final Clock clock;
    private final Function<String, Semaphore> destinationLimit;
    private final DomainSecurity security;

    MessageRun(QueueStore store, Router router, DeliveryOptions options, HopDelivery hops, TlsSetup tls,
               DeliveryMetrics metrics, Optional<DeliveryLog> log, Clock clock, Function<String, Semaphore> destinationLimit,
               DomainSecurity security) {
        this.security = security;
        this.store = store;
        this.router = router;
        this.options = options;
        this.hops = hops;
        this.tls = tls;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
        this.destinationLimit = destinationLimit;
    }

    Result run(QueuedMessage m, byte[] bytes) throws InterruptedException {
        return run(m, bytes, SessionPool.none());
    }

    /**
     * @param pool judged sessions of earlier messages of this batch, used when this message's decision for a hop
     *             address is identical, and offered this message's sessions for the next ones
     */
    Result run(QueuedMessage m, byte[] bytes, SessionPool pool) throws InterruptedException {
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String r : m.pendingRecipients()) {
            byDomain.computeIfAbsent(domainOf(r), k -> new java.util.ArrayList<>()).add(r);
        }
        Result result = new Result(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : byDomain.entrySet()) {
            Semaphore limit = destinationLimit.apply(e.getKey());
            limit.acquire();
            try {
                deliverDomain(m, bytes, e.getKey(), e.getValue(), result, pool);
            } finally {
                limit.release();
            }
        }
        return result;
    }

    private void deliverDomain(QueuedMessage m, byte[] bytes, String domain, List<String> recipients, Result result,
                               SessionPool pool) {
        String policyName = options.policies().policyFor(domain);
        TransportDecision decision = tls.decision(policyName, options.policies().mode());
        boolean requireTls = m.envelope().params().containsKey("REQUIRETLS");
        // RFC 8689 §5: "TLS-Required: No" asks that the domain's DANE and MTA-STS policies be ignored
        MessageDemands demands = new MessageDemands(requireTls, !requireTls && TlsRequiredHeader.saysNo(bytes));
        Route route;
        try {
            route = router.route(domain);
        } catch (RouteException e) {
            RecipientFailure f = new RecipientFailure("x", e.enhancedStatus(), Optional.empty(), Optional.empty(),
                    List.of(), e.getMessage());
            recipients.forEach(r -> put(result, r, withRecipient(f, r), e.permanent()));
            return;
        }
        DomainSecurity.Domain published = security.forDomain(domain, route, demands, decision, tls.context());
        List<String> remaining = recipients;
        for (Hop hop : route.hops()) {
            TransportRequirement req = published.forHop(hop);
            if (req.skip().isPresent()) {
                TransportVerdict v = decision.skipped(req);
                HopOutcome skipped = new HopOutcome.Refused(null, TlsUsed.NONE, v.findings(), v.reason());
                record(m, domain, hop, null, policyName, req, skipped, clock.instant(), Duration.ZERO);
                apply(skipped, hop, remaining, req, result);
                continue;
            }
            List<InetSocketAddress> addresses;
            try {
                addresses = router.addresses(route, hop);
            } catch (RouteException e) {
                RecipientFailure f = new RecipientFailure("x", "4.4.3", Optional.of(hop.host()), Optional.empty(),
                        List.of(), e.getMessage());
                remaining.forEach(r -> put(result, r, withRecipient(f, r), false));
                continue;
            }
            for (InetSocketAddress address : addresses) {
                Map<String, String> mailParams = req.requireTls() ? Map.of("REQUIRETLS", "") : Map.of();
                HopDelivery.Mail mail = new HopDelivery.Mail(m.envelope().mailFrom(), remaining, mailParams, bytes,
                        used -> ReceivedHeader.forHop(options.ehloName(), m, bytes, used, clock.instant()));
                Instant started = clock.instant();
                long t0 = System.nanoTime();
                SessionPool.Key key = new SessionPool.Key(hop, address, policyName, req.label(),
                        mechanism(req, policyName), req.authentication());
                HopOutcome outcome = hops.attempt(hop, address, decision, req, mail, pool, key);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                record(m, domain, hop, address, policyName, req, outcome, started, took);
                boolean done = apply(outcome, hop, remaining, req, result);
                if (done) {
                    return;
                }
            }
        }
    }

    /** Applies one hop's outcome; true if the domain is finished (no further hop may be tried). */
    private boolean apply(HopOutcome outcome, Hop hop, List<String> remaining, TransportRequirement req,
                          Result result) {
        switch (outcome) {
            case HopOutcome.Sent s -> {
                DeliveryResult r = s.result();
                for (String rcpt : remaining) {
                    switch (r.fate(rcpt)) {
                        case ACCEPTED -> {
                            result.outcomes().put(rcpt, RecipientState.DELIVERED);
                            result.temporary().remove(rcpt);
                        }
                        case REJECTED_PERMANENTLY -> put(result, rcpt, remoteFailure(rcpt, hop, decisive(r, rcpt), "5.0.0"),
                                true);
                        case DEFERRED -> put(result, rcpt, remoteFailure(rcpt, hop, decisive(r, rcpt), "4.0.0"), false);
                    }
                }
                return true;
            }
            case HopOutcome.Refused x -> {
                List<Finding> named = fails(x.findings()).isEmpty() ? x.findings() : fails(x.findings());
                String status = named.stream().anyMatch(f -> f.code() == FindingCode.NO_STARTTLS
                        || f.code() == FindingCode.STARTTLS_FAILED) ? "4.7.10" : "4.7.5";
                String why = "The relay did not hand your message to " + hop.host() + " because the connection to it "
                        + "does not meet " + switch (req.mechanism()) {
                            case DANE -> "the recipient domain's DANE requirements (RFC 7672)";
                            case MTA_STS -> "the recipient domain's MTA-STS policy (RFC 8461)";
                            case REQUIRETLS -> "the message's REQUIRETLS requirement (RFC 8689)";
                            case LOCAL_POLICY -> "the security policy \"" + req.policy() + "\"";
                        } + ": " + x.reason() + ".";
                remaining.forEach(r -> put(result, r, new RecipientFailure(r, status, Optional.of(hop.host()),
                        Optional.empty(), named, why), false));
                return false;
            }
            case HopOutcome.Failed f -> {
                SmtpClientException e = f.error();
                boolean transaction = e.phase() == Phase.MAIL || e.phase() == Phase.RCPT || e.phase() == Phase.DATA;
                boolean permanent = e.isPermanent() && transaction;
                RecipientFailure failure = new RecipientFailure("x",
                        e.reply().map(rep -> status(rep, permanent ? "5.0.0" : "4.0.0"))
                                .or(() -> e.localStatus().filter(st -> st.startsWith(permanent ? "5." : "4.")))
                                .orElse(permanent ? "5.3.0" : "4.4.1"),
                        Optional.of(hop.host()), e.reply().map(Reply::wholeText), List.of(), e.getMessage());
                remaining.forEach(r -> put(result, r, withRecipient(failure, r), permanent));
                return permanent;
            }
        }
    }

    private void record(QueuedMessage m, String domain, Hop hop, InetSocketAddress address,
                        String policyName, TransportRequirement req, HopOutcome outcome, Instant at, Duration took) {
        String mechanism = mechanism(req, policyName);
        List<Finding> notable = outcome.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
        List<String> codes = notable.stream().map(f -> f.code().name()).distinct().toList();
        String verdict = PolicyEngine.verdict(outcome.findings()).name();
        boolean wouldRefuse = outcome instanceof HopOutcome.Sent s && s.wouldRefuse();
        List<String> refusalCodes = outcome instanceof HopOutcome.Refused || wouldRefuse ? refusalCodes(outcome.findings())
                : List.of();
        Optional<Reply> reply = switch (outcome) {
            case HopOutcome.Sent s -> s.result().dataReply().or(() -> s.result().recipientReplies().values().stream()
                    .filter(rep -> !rep.isPositive()).findFirst());
            case HopOutcome.Refused x -> Optional.empty();
            case HopOutcome.Failed f -> f.error().reply();
        };
        String word = switch (outcome) {
            case HopOutcome.Sent s -> s.result().anyAccepted() ? "delivered"
                    : s.result().deferred().isEmpty() ? "bounced" : "deferred";
            case HopOutcome.Refused x -> "refused";
            case HopOutcome.Failed f -> f.error().isPermanent() ? "bounced" : "deferred";
        };
        String replyText = reply.map(Reply::wholeText).orElse(outcome instanceof HopOutcome.Failed f
                ? f.error().getMessage() : outcome instanceof HopOutcome.Refused x ? x.reason() : null);
        String policyVerdict = verdict + (mechanism.equals(policyName) ? "" : " (local policy " + policyName + ")")
                + stsTestingRemark(req)
                + (wouldRefuse ? " (testing mode: delivered anyway)" : "")
                + (outcome.tls().plaintextFallback() ? " (plaintext fallback)" : "")
                + (outcome.tls().unverified() ? " (unverified TLS)" : "");
        try {
            store.recordAttempt(m.id(), new Attempt(at, hop.host(), outcome.ip(), outcome.tls().protocol().orElse(null),
                    outcome.tls().cipherSuite().orElse(null), mechanism + ": " + policyVerdict, codes,
                    HopDelivery.describe(notable).orElse(null), reply.map(Reply::code).orElse(0),
                    reply.map(Reply::enhancedStatus).orElse(null), replyText, took, word, domain, refusalCodes,
                    wouldRefuse),
                    m.messageId().startsWith(TlsReportSender.MESSAGE_ID_PREFIX) ? null // never a report about a report
                            : TlsReportEntry.of(req, hop.host(), outcome, at).orElse(null));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MessageRun.class).warn("could not record attempt for message {}: {}",
                    m.id(), e.getMessage());
        }
        metrics.attempt(took.toNanos() / 1000);
        List<String> failCodes = fails(outcome.findings()).stream().map(f -> f.code().name())
                .distinct().toList();
        if (outcome instanceof HopOutcome.Refused) {
            failCodes.forEach(metrics::refused);
        }
        if (wouldRefuse) {
            failCodes.forEach(metrics::wouldRefuse);
            org.slf4j.LoggerFactory.getLogger(MessageRun.class).warn("TESTING mode: message {} delivered to {} ({}) "
                    + "although the policy {} would refuse it: {}", m.id(), hop, outcome.ip(), policyName, failCodes);
        }
        // the human line beside the JSON delivery log, in Postfix's manner (the logger adds the time stamp)
        HUMAN.info("{}: domain={}, relay={}[{}]:{}, delay={}s, tls={}, policy={} ({}, {}), verdict={}{}, status={} ({})",
                m.id(), domain, hop.host(), outcome.ip() == null ? "-" : outcome.ip(),
                address == null ? hop.port() : address.getPort(), String.format(Locale.ROOT, "%.2f", took.toMillis() / 1000.0),
                outcome.tls().protocol().map(p -> p + " " + outcome.tls().cipherSuite().orElse("")).orElse("none"),
                policyName, mechanism, modeLabel(req), verdict, codes.isEmpty() ? "" : " " + codes, word,
                replyText == null ? "-" : replyText);
        log.ifPresent(l -> {
            try {
                l.write(new DeliveryLog.Entry(at, m.id(), domain, hop.host(), outcome.ip(),
                        address == null ? hop.port() : address.getPort(), policyName, mechanism, modeLabel(req), outcome.tls().protocol().orElse(null), outcome.tls().cipherSuite().orElse(null),
                        outcome.tls().plaintextFallback(), verdict, wouldRefuse, notable, replyText, word,
                        took.toMillis()));
            } catch (java.io.IOException e) {
                org.slf4j.LoggerFactory.getLogger(MessageRun.class).warn("cannot write the delivery log: {}",
                        e.getMessage());
            }
        });
    }

    /** The word for the attempt history: the mechanism that decided, or the local policy's name. */
    private static String mechanism(TransportRequirement req, String policyName) {
        return req.mechanism() == Mechanism.LOCAL_POLICY ? policyName : req.mechanism().token();
    }

    /** An MTA-STS policy in mode testing decides nothing, but the attempt history says what it would have done. */
    private static String stsTestingRemark(TransportRequirement req) {
        if (req.mechanism() != Mechanism.LOCAL_POLICY
                || req.report().type() != dev.doublelock.policy.transport.ReportPolicy.Type.STS) {
            return "";
        }
        boolean wouldRefuse = req.notes().stream().anyMatch(f -> f.code() == FindingCode.MX_NOT_IN_STS_POLICY);
        return wouldRefuse ? " (mta-sts testing: would refuse)" : " (mta-sts testing)";
    }

    /** A word for logs: enforce, testing, opportunistic, requiretls. */
    private static String modeLabel(TransportRequirement req) {
        if (req.requireTls()) return "requiretls";
        if (req.testing()) return "testing";
        if (req.enforce()) return "enforce";
        return "opportunistic";
    }

    /** Why the policy refused (or would have refused) a session: its FAIL findings, else every finding it named. */
    private static List<String> refusalCodes(List<Finding> findings) {
        List<Finding> named = fails(findings).isEmpty() ? findings : fails(findings);
        return named.stream().map(f -> f.code().name()).distinct().toList();
    }

    private static List<Finding> fails(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.FAIL).toList();
    }

    private static void put(Result result, String rcpt, RecipientFailure f, boolean permanent) {
        if (permanent) {
            result.outcomes().put(rcpt, RecipientState.FAILED);
            result.permanent().put(rcpt, f);
            result.temporary().remove(rcpt);
        } else if (!result.outcomes().containsKey(rcpt)) {
            result.temporary().put(rcpt, f);
        }
    }

    private static Reply decisive(DeliveryResult r, String rcpt) {
        Reply rcptReply = r.recipientReplies().get(rcpt);
        return rcptReply.isPositive() ? r.dataReply().orElse(rcptReply) : rcptReply;
    }

    private static RecipientFailure remoteFailure(String rcpt, Hop hop, Reply reply, String fallbackStatus) {
        return new RecipientFailure(rcpt, status(reply, fallbackStatus), Optional.of(hop.host()),
                Optional.of(reply.wholeText()), List.of(), "The receiving server " + hop.host() + " did not accept it.");
    }

    private static String status(Reply reply, String fallback) {
        String s = reply.enhancedStatus();
        if (s != null && s.charAt(0) == Character.forDigit(reply.code() / 100, 10)) {
            return s;
        }
        return reply.code() >= 500 ? "5.0.0" : reply.code() >= 400 ? "4.0.0" : fallback;
    }

    private static RecipientFailure withRecipient(RecipientFailure f, String rcpt) {
        return new RecipientFailure(rcpt, f.status(), f.remoteMta(), f.diagnosticCode(), f.findings(), f.explanation());
    }

    static String domainOf(String recipient) {
        int at = recipient.lastIndexOf('@');
        String d = at < 0 ? recipient : recipient.substring(at + 1);
        return d.toLowerCase(Locale.ROOT);
    }
}
