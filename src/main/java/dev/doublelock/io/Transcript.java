package dev.doublelock.io;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The protocol exchange of one connection as evidence: client and server lines with timestamps,
 * message content left out (only its size is noted) and credentials redacted: the argument of
 * "AUTH mech initial-response" and every client line while an AUTH exchange (334 challenges) is open.
 * Bounded: after {@code maxEntries} lines further lines are counted, not kept. Thread-safe.
 */
public final class Transcript {
    public enum Direction { CLIENT, SERVER, EVENT }

    /** One recorded line (without CRLF). */
    public record Entry(Instant at, Direction direction, String text) {
        @Override
        public String toString() {
            String arrow = switch (direction) {
                case CLIENT -> "C: ";
                case SERVER -> "S: ";
                case EVENT -> "-- ";
            };
            return arrow + text;
        }
    }

    public static final String REDACTED = "***";
    private static final int MAX_LINE_CHARS = 1024;

    private final Clock clock;
    private final int maxEntries;
    private final List<Entry> entries = new ArrayList<>();
    private long dropped;
    private boolean inAuth;

    public Transcript(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    public synchronized void client(String line) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (inAuth) {
            add(Direction.CLIENT, REDACTED);
        } else if (upper.startsWith("AUTH ")) {
            inAuth = true;
            String[] parts = line.split(" ", 3);
            add(Direction.CLIENT, parts.length == 3 ? parts[0] + " " + parts[1] + " " + REDACTED : line);
        } else {
            add(Direction.CLIENT, line);
        }
    }

    /** A server reply line; any reply other than 334 ends an open AUTH exchange. */
    public synchronized void server(String line) {
        if (inAuth && !line.startsWith("334")) {
            inAuth = false;
        }
        add(Direction.SERVER, line);
    }

    public synchronized void event(String text) {
        add(Direction.EVENT, text);
    }

    private void add(Direction d, String text) {
        if (entries.size() >= maxEntries) {
            dropped++;
            return;
        }
        String t = text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + "...(truncated)" : text;
        entries.add(new Entry(clock.instant(), d, t));
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Lines not kept because the transcript was full. */
    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder();
        entries.forEach(e -> sb.append(e).append('\n'));
        if (dropped > 0) {
            sb.append("-- ").append(dropped).append(" more lines not kept\n");
        }
        return sb.toString();
    }
}
