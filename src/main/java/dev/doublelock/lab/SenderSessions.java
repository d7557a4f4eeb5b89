package dev.doublelock.lab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The session records the results show: by default only those of senders ({@link SessionKind#SENDER}); the
 * checker's probes and bare port checks are counted, so the reader can be told how many were left out.
 *
 * @param shown  the records to show, in their original order
 * @param hidden how many records of each other kind were left out (empty with {@code all})
 */
public record SenderSessions(List<SessionRecord> shown, Map<SessionKind, Integer> hidden) {
    public SenderSessions {
        shown = List.copyOf(shown);
        hidden = Map.copyOf(hidden);
    }

    /** Splits {@code records}; with {@code all} nothing is left out. */
    public static SenderSessions of(List<SessionRecord> records, boolean all) {
        if (all) return new SenderSessions(records, Map.of());
        List<SessionRecord> shown = new ArrayList<>();
        Map<SessionKind, Integer> hidden = new EnumMap<>(SessionKind.class);
        for (SessionRecord r : records) {
            SessionKind k = SessionKind.of(r);
            if (k == SessionKind.SENDER) shown.add(r);
            else hidden.merge(k, 1, Integer::sum);
        }
        return new SenderSessions(shown, hidden);
    }

    public int hiddenTotal() {
        return hidden.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** "12 checker probes and 3 port checks not shown", or "" when nothing was left out. */
    public String hiddenNote() {
        if (hidden.isEmpty()) return "";
        List<String> parts = new ArrayList<>();
        for (SessionKind k : SessionKind.values()) {
            Integer n = hidden.get(k);
            if (n != null) parts.add(n + " " + k.words() + (n == 1 ? "" : "s"));
        }
        return String.join(" and ", parts) + " not shown";
    }
}
