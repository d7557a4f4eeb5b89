package dev.doublelock.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a sender names the host it wants in its TLS handshakes (SNI, RFC 6066 §3), from its sessions: the name is
 * recorded for every handshake that sent one, failed ones included. A handshake that completed without a name is
 * evidence of "no"; a sender seen in no handshake is not judged.
 *
 * @param sends        yes, no, sometimes, or not seen
 * @param withName     handshakes that sent a name
 * @param withoutName  completed handshakes that sent none
 * @param names        the names sent, first seen first (at most {@value #MAX_NAMES})
 */
public record SenderSni(Sends sends, int withName, int withoutName, List<String> names) {
    static final int MAX_NAMES = 20;

    /** The answer to "does it send SNI?". */
    public enum Sends {
        YES("yes"), NO("no"), SOMETIMES("sometimes"), NOT_SEEN("not seen (no TLS handshake)");

        private final String words;

        Sends(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public SenderSni {
        names = List.copyOf(names);
    }

    /** Every sender's answer, by {@link SessionRecord#sender()}. */
    public static Map<String, SenderSni> of(List<SessionRecord> records) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (SessionRecord r : records) {
            int[] c = counts.computeIfAbsent(r.sender(), s -> new int[2]);
            Set<String> n = names.computeIfAbsent(r.sender(), s -> new LinkedHashSet<>());
            if (r.sni() != null && !r.sni().isEmpty()) {
                c[0]++;
                if (n.size() < MAX_NAMES) n.add(r.sni());
            } else if ("established".equals(r.startTls())) {
                c[1]++;
            }
        }
        Map<String, SenderSni> out = new LinkedHashMap<>();
        counts.forEach((sender, c) -> {
            Sends sends = c[0] > 0 && c[1] > 0 ? Sends.SOMETIMES : c[0] > 0 ? Sends.YES : c[1] > 0 ? Sends.NO : Sends.NOT_SEEN;
            out.put(sender, new SenderSni(sends, c[0], c[1], new ArrayList<>(names.get(sender))));
        });
        return out;
    }

    /** "sends SNI: yes (good.lab.test, expired.lab.test)", "sends SNI: sometimes (2 of 3 handshakes: …)", "sends SNI: no". */
    public String line() {
        String list = String.join(", ", names);
        return "sends SNI: " + switch (sends) {
            case YES -> "yes (" + list + ")";
            case SOMETIMES -> "sometimes (" + withName + " of " + (withName + withoutName) + " handshakes: " + list + ")";
            case NO, NOT_SEEN -> sends.words();
        };
    }
}
