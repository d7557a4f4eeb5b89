package dev.doublelock.tls.probe;

import java.util.Arrays;

/** A bounds-checked reader over a byte array for TLS structures (big-endian, length-prefixed vectors). */
final class ByteCursor {
    private final byte[] data;
    private int pos;
    private final int end;

    ByteCursor(byte[] data) {
        this(data, 0, data.length);
    }

    private ByteCursor(byte[] data, int from, int end) {
        this.data = data;
        this.pos = from;
        this.end = end;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws MalformedMessageException {
        if (n < 0 || remaining() < n) {
            throw new MalformedMessageException(what + ": needs " + n + " bytes, " + remaining() + " left");
        }
    }

    int u8(String what) throws MalformedMessageException {
        need(1, what);
        return data[pos++] & 0xFF;
    }

    int u16(String what) throws MalformedMessageException {
        need(2, what);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int u24(String what) throws MalformedMessageException {
        need(3, what);
        int v = ((data[pos] & 0xFF) << 16) | ((data[pos + 1] & 0xFF) << 8) | (data[pos + 2] & 0xFF);
        pos += 3;
        return v;
    }

    byte[] bytes(int n, String what) throws MalformedMessageException {
        need(n, what);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** A sub-cursor over the next {@code n} bytes; this cursor skips them. */
    ByteCursor slice(int n, String what) throws MalformedMessageException {
        need(n, what);
        ByteCursor s = new ByteCursor(data, pos, pos + n);
        pos += n;
        return s;
    }
}
