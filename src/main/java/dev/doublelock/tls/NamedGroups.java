package dev.doublelock.tls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.doublelock.tls.NamedGroup.Kind;

/** The IANA TLS Supported Groups registry (supported_groups / key_share codes ↔ names). */
public final class NamedGroups {
    private static final Map<Integer, NamedGroup> BY_CODE = new LinkedHashMap<>();
    private static final Map<String, NamedGroup> BY_NAME = new LinkedHashMap<>();

    static {
        String[] sect = {"sect163k1", "sect163r1", "sect163r2", "sect193r1", "sect193r2", "sect233k1", "sect233r1",
                "sect239k1", "sect283k1", "sect283r1", "sect409k1", "sect409r1", "sect571k1", "sect571r1"};
        for (int i = 0; i < sect.length; i++) {
            add(i + 1, sect[i], Kind.EC_BINARY, Integer.parseInt(sect[i].substring(4, 7)));
        }
        String[] secp = {"secp160k1", "secp160r1", "secp160r2", "secp192k1", "secp192r1", "secp224k1", "secp224r1",
                "secp256k1", "secp256r1", "secp384r1", "secp521r1"};
        for (int i = 0; i < secp.length; i++) {
            add(i + 15, secp[i], Kind.EC_PRIME, Integer.parseInt(secp[i].substring(4, 7)));
        }
        add(26, "brainpoolP256r1", Kind.EC_PRIME, 256);
        add(27, "brainpoolP384r1", Kind.EC_PRIME, 384);
        add(28, "brainpoolP512r1", Kind.EC_PRIME, 512);
        add(29, "x25519", Kind.EC_MONTGOMERY, 255);
        add(30, "x448", Kind.EC_MONTGOMERY, 448);
        add(31, "brainpoolP256r1tls13", Kind.EC_PRIME, 256);
        add(32, "brainpoolP384r1tls13", Kind.EC_PRIME, 384);
        add(33, "brainpoolP512r1tls13", Kind.EC_PRIME, 512);
        add(34, "GC256A", Kind.OTHER, 256);
        add(35, "GC256B", Kind.OTHER, 256);
        add(36, "GC256C", Kind.OTHER, 256);
        add(37, "GC256D", Kind.OTHER, 256);
        add(38, "GC512A", Kind.OTHER, 512);
        add(39, "GC512B", Kind.OTHER, 512);
        add(40, "GC512C", Kind.OTHER, 512);
        add(41, "curveSM2", Kind.OTHER, 256);
        add(256, "ffdhe2048", Kind.FFDHE, 2048);
        add(257, "ffdhe3072", Kind.FFDHE, 3072);
        add(258, "ffdhe4096", Kind.FFDHE, 4096);
        add(259, "ffdhe6144", Kind.FFDHE, 6144);
        add(260, "ffdhe8192", Kind.FFDHE, 8192);
        add(0x0200, "MLKEM512", Kind.MLKEM, 0);
        add(0x0201, "MLKEM768", Kind.MLKEM, 0);
        add(0x0202, "MLKEM1024", Kind.MLKEM, 0);
        add(0x11EB, "SecP256r1MLKEM768", Kind.HYBRID, 256);
        add(0x11EC, "X25519MLKEM768", Kind.HYBRID, 255);
        add(0x11ED, "SecP384r1MLKEM1024", Kind.HYBRID, 384);
        add(0x6399, "X25519Kyber768Draft00", Kind.HYBRID, 255);
        add(0xFF01, "arbitrary_explicit_prime_curves", Kind.OTHER, 0);
        add(0xFF02, "arbitrary_explicit_char2_curves", Kind.OTHER, 0);
    }

    private NamedGroups() {
    }

    private static void add(int code, String name, Kind kind, int bits) {
        NamedGroup g = new NamedGroup(code, name, kind, bits);
        BY_CODE.put(code, g);
        BY_NAME.put(name.toLowerCase(java.util.Locale.ROOT), g);
    }

    public static List<NamedGroup> all() {
        return List.copyOf(BY_CODE.values());
    }

    public static Optional<NamedGroup> byCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** Case-insensitive; also accepts the JSSE/OpenSSL aliases "prime256v1", "P-256", "P-384", "P-521", "X25519". */
    public static Optional<NamedGroup> byName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        n = switch (n) {
            case "prime256v1", "p-256" -> "secp256r1";
            case "p-384" -> "secp384r1";
            case "p-521" -> "secp521r1";
            default -> n;
        };
        return Optional.ofNullable(BY_NAME.get(n));
    }

    /** The IANA name for a code, or "0xABCD" if the code is not registered. */
    public static String nameOf(int code) {
        NamedGroup g = BY_CODE.get(code);
        return g != null ? g.name() : String.format("0x%04X", code);
    }
}
