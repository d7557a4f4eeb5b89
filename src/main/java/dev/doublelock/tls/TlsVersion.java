package dev.doublelock.tls;

import java.util.Arrays;
import java.util.Optional;

/** SSL/TLS protocol versions with their wire code and JSSE name. */
public enum TlsVersion {
    SSL_3_0(0x0300, "SSLv3"),
    TLS_1_0(0x0301, "TLSv1"),
    TLS_1_1(0x0302, "TLSv1.1"),
    TLS_1_2(0x0303, "TLSv1.2"),
    TLS_1_3(0x0304, "TLSv1.3");

    private final int wire;
    private final String javaName;

    TlsVersion(int wire, String javaName) {
        this.wire = wire;
        this.javaName = javaName;
    }

    public int wire() {
        return wire;
    }

    public String javaName() {
        return javaName;
    }

    /** Human spelling, e.g. "TLS 1.2". */
    public String displayName() {
        return switch (this) {
            case SSL_3_0 -> "SSL 3.0";
            case TLS_1_0 -> "TLS 1.0";
            case TLS_1_1 -> "TLS 1.1";
            case TLS_1_2 -> "TLS 1.2";
            case TLS_1_3 -> "TLS 1.3";
        };
    }

    public static Optional<TlsVersion> fromWire(int wire) {
        return Arrays.stream(values()).filter(v -> v.wire == wire).findFirst();
    }

    /** Accepts JSSE names ("TLSv1.2") and display names ("TLS 1.2"). */
    public static TlsVersion forJavaName(String name) {
        for (TlsVersion v : values()) {
            if (v.javaName.equalsIgnoreCase(name) || v.displayName().equalsIgnoreCase(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown TLS version: " + name
                + " (expected one of SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)");
    }
}
