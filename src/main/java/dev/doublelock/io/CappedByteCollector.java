package dev.doublelock.io;

import java.io.ByteArrayOutputStream;

/**
 * Collects octets up to a cap and only counts the rest, so a too-large message is read to its end
 * without being held in memory.
 */
public final class CappedByteCollector {
    private final long cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;

    /** @param cap the most octets kept; must fit a Java array */
    public CappedByteCollector(long cap) {
        if (cap < 0 || cap > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cap must be 0.." + (Integer.MAX_VALUE - 16) + ", got " + cap);
        }
        this.cap = cap;
    }

    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    public void write(byte[] b, int off, int len) {
        long room = cap - total;
        if (room > 0) {
            kept.write(b, off, (int) Math.min(room, len));
        }
        total += len;
    }

    /** Octets offered so far, kept or not. */
    public long total() {
        return total;
    }

    public boolean overflowed() {
        return total > cap;
    }

    /** The kept octets (all of them unless {@link #overflowed()}). */
    public byte[] toByteArray() {
        return kept.toByteArray();
    }
}
