package dev.doublelock.dns;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One TLSA record (RFC 6698) as published at {@code _port._tcp.host}: certificate usage, selector,
 * matching type and certificate association data. The data array is copied in and out.
 */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
    public TlsaRecord {
        for (int v : new int[] {usage, selector, matchingType}) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("TLSA fields are 0..255, got " + v);
            }
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord t && t.usage == usage && t.selector == selector
                && t.matchingType == matchingType && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * usage + selector) + matchingType) + Arrays.hashCode(data);
    }

    /** Presentation format, as in a zone file: {@code 3 1 1 ABCD…}. */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().withUpperCase().formatHex(data);
    }
}
