package dev.doublelock.relay.impact;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.RefusalCount;
import dev.doublelock.queue.State;
import dev.doublelock.queue.WaitingCount;
import dev.doublelock.relay.delivery.FindingWords;
import dev.doublelock.relay.delivery.PolicyMap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the relay page shows, read from the queue in one go: what waits by recipient domain and reason, the
 * refusals by finding code per hour or day of the window, and the {@link ImpactReport}. {@link #json()} is the
 * page's API ({@code GET /api/overview}); the page renders it and computes nothing itself.
 */
public record RelayOverview(Instant at, Map<State, Long> states, List<WaitingCount> waiting, ReportWindow window,
                            List<RefusalCount> refusals, ImpactReport impact) {

    /** How many domains the impact report lists. */
    public static final int TOP_DOMAINS = 10;

    public RelayOverview {
        states = Map.copyOf(states);
        waiting = List.copyOf(waiting);
        refusals = List.copyOf(refusals);
    }

    public static RelayOverview of(QueueStore store, ReportWindow window, PolicyMap.Mode mode, Instant now) {
        return new RelayOverview(now, store.counts(), store.waitingByDomain(), window,
                store.refusals(window.from(), window.to(), window.slot()),
                ImpactReport.of(store, window, mode, TOP_DOMAINS));
    }

    /** The page's data as JSON values. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", at.toString());
        Map<String, Object> states = new LinkedHashMap<>();
        for (State s : State.values()) {
            states.put(s.name(), this.states.getOrDefault(s, 0L));
        }
        m.put("states", states);
        m.put("waiting", waitingJson());
        m.put("refusals", refusalsJson());
        m.put("impact", impact.json());
        return m;
    }

    private List<Map<String, Object>> waitingJson() {
        Map<String, List<WaitingCount>> byDomain = new LinkedHashMap<>();
        for (WaitingCount w : waiting) {
            byDomain.computeIfAbsent(w.domain(), k -> new ArrayList<>()).add(w);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byDomain.forEach((domain, rows) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("domain", domain);
            d.put("recipients", rows.stream().mapToLong(WaitingCount::recipients).sum());
            d.put("oldest", rows.stream().map(WaitingCount::oldest).min(Instant::compareTo).orElseThrow().toString());
            List<Map<String, Object>> reasons = new ArrayList<>();
            for (WaitingCount w : rows) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("reason", w.reason().isEmpty() ? "not tried yet" : w.reason());
                r.put("codes", ReasonCodes.in(w.reason()).stream()
                        .map(c -> Map.of("code", c, "words", FindingWords.of(c))).toList());
                r.put("messages", w.messages());
                r.put("recipients", w.recipients());
                r.put("oldest", w.oldest().toString());
                reasons.add(r);
            }
            d.put("reasons", reasons);
            out.add(d);
        });
        out.sort((a, b) -> Long.compare((long) b.get("recipients"), (long) a.get("recipients")));
        return out;
    }

    private Map<String, Object> refusalsJson() {
        Map<String, long[]> totals = new TreeMap<>();
        Map<Instant, Map<String, Map<String, Long>>> slots = new TreeMap<>();
        for (RefusalCount r : refusals) {
            long[] t = totals.computeIfAbsent(r.code(), k -> new long[2]);
            t[0] += r.refused();
            t[1] += r.wouldRefuse();
            slots.computeIfAbsent(r.slot(), k -> new TreeMap<>()).put(r.code(),
                    Map.of("refused", r.refused(), "would_refuse", r.wouldRefuse()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", window.from().toString());
        m.put("to", window.to().toString());
        m.put("slot", window.slot().toHours() == 1 ? "hour" : "day");
        List<Map<String, Object>> codes = new ArrayList<>();
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1],
                a.getValue()[0] + a.getValue()[1])).forEach(e -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("code", e.getKey());
                    c.put("words", FindingWords.of(e.getKey()));
                    c.put("refused", e.getValue()[0]);
                    c.put("would_refuse", e.getValue()[1]);
                    codes.add(c);
                });
        m.put("codes", codes);
        List<Map<String, Object>> rows = new ArrayList<>();
        slots.forEach((start, counts) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("start", start.toString());
            row.put("counts", counts);
            rows.add(row);
        });
        m.put("slots", rows);
        m.put("mode", impact.mode().name().toLowerCase(Locale.ROOT));
        return m;
    }
}
