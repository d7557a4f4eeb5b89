package dev.doublelock.tls.probe;

import org.bouncycastle.tls.crypto.DHStandardGroups;

import java.math.BigInteger;
import java.util.Map;
import java.util.OptionalInt;

/** Recognises the RFC 7919 FFDHE primes (from Bouncy Castle's copy of the RFC) by value. */
final class FfdhePrimes {
    private static final Map<BigInteger, Integer> CODES = Map.of(
            DHStandardGroups.rfc7919_ffdhe2048.getP(), 256,
            DHStandardGroups.rfc7919_ffdhe3072.getP(), 257,
            DHStandardGroups.rfc7919_ffdhe4096.getP(), 258,
            DHStandardGroups.rfc7919_ffdhe6144.getP(), 259,
            DHStandardGroups.rfc7919_ffdhe8192.getP(), 260);

    private FfdhePrimes() {
    }

    /** The supported_groups code of an RFC 7919 prime, or empty for any other prime. */
    static OptionalInt identify(BigInteger p) {
        Integer code = CODES.get(p);
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }
}
