package dev.doublelock.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What a stream already holds, taken without blocking ({@link InputStream#available()}), bounded: the plaintext a
 * peer sent around STARTTLS that must be dropped (or, on the lab's injection profile, kept) before the handshake.
 */
public final class AvailableOctets {
    private static final int STEP = 4096;

    private AvailableOctets() {
    }

    /** Reads what {@code in} holds now, until at least {@code room} octets are taken or nothing more is there. */
    public static byte[] read(InputStream in, int room) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[STEP];
        int available;
        while (kept.size() < room && (available = in.available()) > 0) {
            int n = in.read(buf, 0, Math.min(buf.length, available));
            if (n <= 0) {
                break;
            }
            kept.write(buf, 0, n);
        }
        return kept.toByteArray();
    }

    /** As {@link #read}, dropping the octets; returns how many were dropped. */
    public static int discard(InputStream in, int room) throws IOException {
        byte[] buf = new byte[STEP];
        int dropped = 0;
        int available;
        while (dropped < room && (available = in.available()) > 0) {
            int n = in.read(buf, 0, Math.min(buf.length, available));
            if (n <= 0) {
                break;
            }
            dropped += n;
        }
        return dropped;
    }
}
