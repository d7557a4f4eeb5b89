package dev.doublelock.tls;

/**
 * One entry of the IANA TLS Supported Groups registry.
 *
 * @param code  the two-byte wire code
 * @param name  the IANA name ("secp256r1", "x25519", "ffdhe2048", "X25519MLKEM768")
 * @param kind  what family the group belongs to
 * @param bits  the size a policy compares: field/curve order bits for EC, prime bits for FFDHE,
 *              the classical component for hybrids, 0 where no such number applies
 */
public record NamedGroup(int code, String name, Kind kind, int bits) {
    /** Group families. */
    public enum Kind {
        /** Elliptic curve over a prime field (secp*, brainpool*). */
        EC_PRIME,
        /** Elliptic curve over a binary field (sect*). */
        EC_BINARY,
        /** Montgomery/Edwards curves x25519, x448. */
        EC_MONTGOMERY,
        /** RFC 7919 finite-field groups. */
        FFDHE,
        /** Pure ML-KEM (FIPS 203). */
        MLKEM,
        /** Hybrid of a classical ECDH group and ML-KEM. */
        HYBRID,
        /** National standards (GOST, SM2) and the explicit-curve markers. */
        OTHER
    }

    @Override
    public String toString() {
        return name + String.format("(0x%04X)", code);
    }
}
