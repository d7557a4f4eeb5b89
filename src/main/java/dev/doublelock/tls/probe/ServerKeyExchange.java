package dev.doublelock.tls.probe;

import java.util.OptionalInt;

/**
 * The key-exchange parameters a TLS ≤ 1.2 server chose, from its ServerKeyExchange.
 *
 * @param namedCurve  the named_curve code of ECDHE/ECDH_anon parameters (RFC 8422 §5.4), if any
 * @param dhPrimeBits the bit length of dh_p of DHE/DH_anon parameters (RFC 5246 §7.4.3), if any
 * @param dhPrime     the prime itself (empty for EC), to recognise RFC 7919 groups
 */
record ServerKeyExchange(OptionalInt namedCurve, OptionalInt dhPrimeBits, byte[] dhPrime) {
    static ServerKeyExchange curve(int code) {
        return new ServerKeyExchange(OptionalInt.of(code), OptionalInt.empty(), new byte[0]);
    }

    static ServerKeyExchange dh(byte[] p) {
        return new ServerKeyExchange(OptionalInt.empty(), OptionalInt.of(new java.math.BigInteger(1, p).bitLength()), p);
    }

    static ServerKeyExchange other() {
        return new ServerKeyExchange(OptionalInt.empty(), OptionalInt.empty(), new byte[0]);
    }
}
