package dev.doublelock.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Key-exchange groups (TLS supported_groups, IANA names) with their kind and strength, so a policy can tell a
 * too-small group (weak) from a strong group it merely does not list (x25519, ML-KEM hybrids).
 *
 * @param kind EC (Weierstrass curves), ECX (x25519/x448), FFDHE (RFC 7919 finite-field), HYBRID (ML-KEM + classical)
 * @param bits classical strength measure: curve order size or finite-field modulus size
 */
public record GroupTraits(String name, Kind kind, int bits) {
    public enum Kind { EC, ECX, FFDHE, HYBRID }

    private static final Map<String, GroupTraits> KNOWN = Map.ofEntries(
            e("secp256r1", Kind.EC, 256), e("secp384r1", Kind.EC, 384), e("secp521r1", Kind.EC, 521),
            e("secp224r1", Kind.EC, 224), e("secp192r1", Kind.EC, 192), e("secp160r1", Kind.EC, 160),
            e("secp224k1", Kind.EC, 224), e("secp256k1", Kind.EC, 256), e("secp192k1", Kind.EC, 192),
            e("sect163k1", Kind.EC, 163), e("sect163r2", Kind.EC, 163), e("sect233k1", Kind.EC, 233),
            e("sect233r1", Kind.EC, 233), e("sect283k1", Kind.EC, 283), e("sect283r1", Kind.EC, 283),
            e("sect409k1", Kind.EC, 409), e("sect409r1", Kind.EC, 409), e("sect571k1", Kind.EC, 571),
            e("sect571r1", Kind.EC, 571),
            e("brainpoolP256r1", Kind.EC, 256), e("brainpoolP384r1", Kind.EC, 384), e("brainpoolP512r1", Kind.EC, 512),
            e("brainpoolP256r1tls13", Kind.EC, 256), e("brainpoolP384r1tls13", Kind.EC, 384),
            e("brainpoolP512r1tls13", Kind.EC, 512),
            e("x25519", Kind.ECX, 255), e("x448", Kind.ECX, 448),
            e("ffdhe2048", Kind.FFDHE, 2048), e("ffdhe3072", Kind.FFDHE, 3072), e("ffdhe4096", Kind.FFDHE, 4096),
            e("ffdhe6144", Kind.FFDHE, 6144), e("ffdhe8192", Kind.FFDHE, 8192),
            e("X25519MLKEM768", Kind.HYBRID, 255), e("SecP256r1MLKEM768", Kind.HYBRID, 256),
            e("SecP384r1MLKEM1024", Kind.HYBRID, 384), e("X25519Kyber768Draft00", Kind.HYBRID, 255));

    private static Map.Entry<String, GroupTraits> e(String name, Kind kind, int bits) {
        return Map.entry(name.toLowerCase(Locale.ROOT), new GroupTraits(name, kind, bits));
    }

    /** Known traits by IANA name (case-insensitive; also JSSE aliases prime256v1, x25519 spellings). */
    public static Optional<GroupTraits> of(String name) {
        if (name == null) return Optional.empty();
        String n = name.trim().toLowerCase(Locale.ROOT);
        n = switch (n) {
            case "prime256v1", "p-256" -> "secp256r1";
            case "p-384" -> "secp384r1";
            case "p-521" -> "secp521r1";
            default -> n;
        };
        return Optional.ofNullable(KNOWN.get(n));
    }

    /** "secp256r1 (EC 256 bit)". */
    public String describe() {
        return name + " (" + kind + " " + bits + " bit)";
    }
}
