package dev.doublelock.relay.impact;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.WouldRefuseCount;
import dev.doublelock.queue.WouldRefuseCounts;
import dev.doublelock.relay.delivery.FindingWords;
import dev.doublelock.relay.delivery.PolicyMap;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Testing mode's impact report: "if you enforced now: N messages to M domains would wait", the top domains and why
 * (finding codes in words). The judgement made here is only this: a message the relay handed over in testing mode
 * over a session the policy would have refused is a message that would wait under enforce. That is an upper bound
 * for domains with several MX hosts: testing mode delivers at the first one that answers, enforce would try the
 * next ones, and a message waits only if none meets the policy.
 *
 * @param window    the time the report looks back over
 * @param mode      the relay's mode now (the counts come from the attempt history, whatever the mode then)
 * @param counts    what the queue recorded
 * @param top       the domains listed, most messages first (at most the number asked for)
 */
public record ImpactReport(ReportWindow window, PolicyMap.Mode mode, WouldRefuseCounts counts, List<DomainImpact> top) {

    /** One recipient domain: how many messages would wait and the findings why, most messages first. */
    public record DomainImpact(String domain, long messages, long sessions, Instant last, List<Reason> reasons) {
        public DomainImpact {
            reasons = List.copyOf(reasons);
        }
    }

    /** One finding code, its meaning in words, and the messages it would have held back. */
    public record Reason(String code, String words, long messages) {
    }

    public ImpactReport {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(counts, "counts");
        top = List.copyOf(top);
    }

    /** Reads the would-be refusals in {@code window} from {@code store} and keeps the {@code topDomains} largest. */
    public static ImpactReport of(QueueStore store, ReportWindow window, PolicyMap.Mode mode, int topDomains) {
        WouldRefuseCounts counts = store.wouldRefuse(window.from(), window.to());
        List<DomainImpact> top = new ArrayList<>();
        for (WouldRefuseCount d : counts.domains().subList(0, Math.min(Math.max(0, topDomains), counts.domains().size()))) {
            List<Reason> reasons = new ArrayList<>();
            d.messagesByCode().forEach((code, n) -> reasons.add(new Reason(code, FindingWords.of(code), n)));
            top.add(new DomainImpact(d.domain(), d.messages(), d.sessions(), d.last(), reasons));
        }
        return new ImpactReport(window, mode, counts, top);
    }

    /** Messages that would wait. */
    public long messages() {
        return counts.messages();
    }

    /** Recipient domains they are for. */
    public long domains() {
        return counts.domains().size();
    }

    /** The report's one sentence, e.g. "If you enforced now: 3 messages to 2 domains would wait." */
    public String headline() {
        if (counts.attempts() == 0) {
            return "No delivery was attempted in the last " + length() + ": there is nothing to judge enforcing by.";
        }
        if (counts.messages() == 0) {
            return "If you enforced now: no more messages would wait. None of the " + counts.attempts() + " session"
                    + plural(counts.attempts()) + " of the last " + length() + " was delivered in testing mode "
                    + "although the policy would have refused it.";
        }
        return "If you enforced now: " + counts.messages() + " message" + plural(counts.messages()) + " to "
                + domains() + " domain" + plural(domains()) + " would wait (of " + counts.attemptedMessages()
                + " message" + plural(counts.attemptedMessages()) + " delivered or tried in the last " + length() + ").";
    }

    /** What the mode means for the numbers, in one sentence. */
    public String modeNote() {
        return switch (mode) {
            case TESTING -> "The relay is in testing mode: it delivered these messages although the policy would have "
                    + "refused the session. Under enforce it would try the domain's other MX hosts first; a message "
                    + "waits only if none meets the policy.";
            case ENFORCE -> "The relay enforces the policy now: these counts come from sessions recorded while it was "
                    + "in testing mode; what enforcing holds back is under \"what waits\" (doublelock queue list).";
        };
    }

    /** The report as text for {@code doublelock relay impact}. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("Impact report, mode ").append(mode.name().toLowerCase(Locale.ROOT)).append(", ")
                .append(minutes(window.from())).append(" .. ").append(minutes(window.to())).append(" UTC\n");
        sb.append(headline()).append('\n');
        if (!top.isEmpty()) {
            sb.append(top.size() < domains() ? "Top " + top.size() + " of " + domains() + " domains and why:\n"
                    : "Domains and why:\n");
            int width = top.stream().mapToInt(d -> d.domain().length()).max().orElse(0);
            for (DomainImpact d : top) {
                sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %5d message%s  (last %s)%n", d.domain(),
                        d.messages(), d.messages() == 1 ? " " : "s", minutes(d.last())));
                for (Reason r : d.reasons()) {
                    sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %5d  %s [%s]%n", "", r.messages(),
                            r.words(), r.code()));
                }
            }
        }
        if (counts.messages() > 0 || mode == PolicyMap.Mode.ENFORCE) {
            sb.append(modeNote()).append('\n');
        }
        return sb.toString();
    }

    /** The report as JSON values, for {@code relay impact --json} and the page's API. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", window.from().toString());
        m.put("to", window.to().toString());
        m.put("mode", mode.name().toLowerCase(Locale.ROOT));
        m.put("messages", counts.messages());
        m.put("domains", domains());
        m.put("attempted_messages", counts.attemptedMessages());
        m.put("attempts", counts.attempts());
        m.put("headline", headline());
        m.put("note", modeNote());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DomainImpact d : top) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("domain", d.domain());
            row.put("messages", d.messages());
            row.put("sessions", d.sessions());
            row.put("last", d.last().toString());
            row.put("reasons", d.reasons().stream().map(r -> Map.<String, Object>of("code", r.code(), "words", r.words(),
                    "messages", r.messages())).toList());
            rows.add(row);
        }
        m.put("top", rows);
        return m;
    }

    private String length() {
        return Lengths.words(window.length());
    }

    private static String minutes(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES).toString().replace("T", " ").replace(":00Z", "").replace("Z", "");
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }
}
