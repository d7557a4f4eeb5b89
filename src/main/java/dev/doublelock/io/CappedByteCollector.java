package dev.doublelock.io;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Collects octets up to a cap and only counts the rest, so a too-large message is read to its end without being
 * held in memory. Octets are kept in 64 KiB chunks (never a doubling buffer, so a message costs its size, and its
 * size once more only while {@link #toByteArray()} copies it out). Before each new chunk a {@code grow} test may
 * refuse the memory (a budget shared by all sessions is spent): from then on nothing more is kept and
 * {@link #starved()} says so.
 */
public final class CappedByteCollector {
    /** The unit memory is taken in. */
    public static final int CHUNK = 64 * 1024;

    private final long cap;
    private final LongPredicate grow;
    private final List<byte[]> chunks = new ArrayList<>();
    private int inLast = CHUNK;
    private long kept;
    private long total;
    private boolean starved;

    /** @param cap the most octets kept; must fit a Java array */
    public CappedByteCollector(long cap) {
        this(cap, n -> true);
    }

    /**
     * @param cap  the most octets kept; must fit a Java array
     * @param grow asked before each new chunk, with the chunk's size; false refuses it (nothing more is kept)
     */
    public CappedByteCollector(long cap, LongPredicate grow) {
        if (cap < 0 || cap > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cap must be 0.." + (Integer.MAX_VALUE - 16) + ", got " + cap);
        }
        this.cap = cap;
        this.grow = grow;
    }

    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    public void write(byte[] b, int off, int len) {
        total += len;
        int toKeep = (int) Math.min(len, Math.max(0, cap - kept));
        while (toKeep > 0 && !starved) {
            if (inLast == CHUNK) {
                if (!grow.test(CHUNK)) {
                    starved = true;
                    return;
                }
                chunks.add(new byte[CHUNK]);
                inLast = 0;
            }
            int n = Math.min(toKeep, CHUNK - inLast);
            System.arraycopy(b, off, chunks.getLast(), inLast, n);
            inLast += n;
            off += n;
            toKeep -= n;
            kept += n;
        }
    }

    /** Octets offered so far, kept or not. */
    public long total() {
        return total;
    }

    public boolean overflowed() {
        return total > cap;
    }

    /** True if the grow test refused memory: what was kept is incomplete. */
    public boolean starved() {
        return starved;
    }

    /** Memory taken so far, in chunk units (what the grow test granted). */
    public long reserved() {
        return (long) chunks.size() * CHUNK;
    }

    /** The kept octets (all of them unless {@link #overflowed()} or {@link #starved()}). */
    public byte[] toByteArray() {
        byte[] out = new byte[(int) kept];
        int at = 0;
        for (byte[] c : chunks) {
            int n = (int) Math.min(CHUNK, kept - at);
            System.arraycopy(c, 0, out, at, n);
            at += n;
        }
        return out;
    }
}
