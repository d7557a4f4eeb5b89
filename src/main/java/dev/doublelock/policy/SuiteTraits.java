package dev.doublelock.policy;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a cipher suite is made of, read from its IANA name alone ({@code TLS_<kx>_WITH_<cipher>_<mac>}, or the
 * TLS 1.3 form {@code TLS_<aead>_<hash>}; JSSE's {@code SSL_} prefix is accepted). The policy judges traits,
 * so an unlisted suite can be told apart as weak (a trait the policy forbids) or strong-but-unlisted.
 *
 * @param keyExchange "RSA", "ECDHE_ECDSA", "DH_anon", … or "TLS13" for TLS 1.3 suites, "?" if unparseable
 * @param cipher      "AES_128_GCM", "CHACHA20_POLY1305", "3DES_EDE_CBC", …
 * @param mac         "SHA", "SHA256", "MD5", "" for CCM suites without a hash token
 */
public record SuiteTraits(String name, String keyExchange, String cipher, String mac, Set<Trait> traits) {
    private static final java.util.regex.Pattern MAC_NAME = java.util.regex.Pattern.compile("SHA|SHA\\d{3}|MD5|SM3|NULL|GOSTR341112|IMIT");

    /** Properties a policy can forbid or warn about. */
    public enum Trait {
        NO_PFS("no forward secrecy (static key exchange)"),
        ANON("anonymous key exchange: no server authentication"),
        NULL_CIPHER("no encryption (NULL cipher)"),
        EXPORT("EXPORT-grade cryptography"),
        RC4("RC4 stream cipher"),
        DES("single DES"),
        TRIPLE_DES("3DES (64-bit block, Sweet32)"),
        RC2("RC2"),
        IDEA("IDEA"),
        SHA1_MAC("SHA-1 HMAC (CBC with SHA-1)"),
        MD5_MAC("MD5 HMAC"),
        CBC("CBC mode (MAC-then-encrypt)"),
        AEAD("authenticated encryption"),
        CHACHA20("ChaCha20-Poly1305"),
        CAMELLIA("Camellia"),
        ARIA("ARIA"),
        SEED("SEED"),
        CCM_8("AES-CCM with 8-byte tag"),
        PSK("pre-shared key"),
        NATIONAL("national/regional algorithm (GOST, SM4)"),
        UNPARSEABLE("unrecognised suite name");

        private final String description;

        Trait(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public SuiteTraits {
        traits = Set.copyOf(traits);
    }

    public boolean has(Trait t) {
        return traits.contains(t);
    }

    public static SuiteTraits of(String ianaName) {
        String n = ianaName == null ? "" : ianaName.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("SSL_")) {
            n = "TLS_" + n.substring(4);
        }
        EnumSet<Trait> t = EnumSet.noneOf(Trait.class);
        if (!n.startsWith("TLS_") || n.equals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV") || n.equals("TLS_FALLBACK_SCSV")) {
            t.add(Trait.UNPARSEABLE);
            return new SuiteTraits(ianaName, "?", "?", "?", t);
        }
        int with = n.indexOf("_WITH_");
        String kx;
        String rest;
        if (with < 0) {
            kx = "TLS13"; // RFC 8446 §B.4: key exchange is negotiated separately, always (EC)DHE unless psk_ke
            rest = n.substring(4);
        } else {
            kx = n.substring(4, with);
            rest = n.substring(with + 6);
        }
        int lastUnderscore = rest.lastIndexOf('_');
        String last = lastUnderscore < 0 ? rest : rest.substring(lastUnderscore + 1);
        String cipher;
        String mac;
        if (MAC_NAME.matcher(last).matches() && lastUnderscore > 0) {
            cipher = rest.substring(0, lastUnderscore);
            mac = last;
        } else {
            cipher = rest;
            mac = "";
        }
        classifyKeyExchange(kx, t);
        classifyCipher(cipher, mac, t);
        return new SuiteTraits(ianaName, kx, cipher, mac, t);
    }

    private static void classifyKeyExchange(String kx, Set<Trait> t) {
        if (kx.contains("ANON")) t.add(Trait.ANON);
        if (kx.contains("EXPORT")) t.add(Trait.EXPORT);
        if (kx.contains("PSK")) t.add(Trait.PSK);
        if (kx.contains("GOST")) t.add(Trait.NATIONAL);
        boolean ephemeral = kx.equals("TLS13") || kx.startsWith("DHE") || kx.startsWith("ECDHE")
                || kx.equals("DH_ANON") || kx.equals("ECDH_ANON") || kx.startsWith("DH_ANON_");
        if (!ephemeral) t.add(Trait.NO_PFS);
    }

    private static void classifyCipher(String cipher, String mac, Set<Trait> t) {
        if (cipher.equals("NULL") || cipher.isEmpty() || cipher.equals("SHA256") || cipher.equals("SHA384")) {
            t.add(Trait.NULL_CIPHER); // includes RFC 9150 integrity-only TLS_SHA256_SHA256
        }
        if (cipher.contains("EXPORT") || cipher.contains("40") && cipher.contains("RC")) t.add(Trait.EXPORT);
        if (cipher.startsWith("RC4")) t.add(Trait.RC4);
        if (cipher.startsWith("RC2")) t.add(Trait.RC2);
        if (cipher.startsWith("IDEA")) t.add(Trait.IDEA);
        if (cipher.startsWith("3DES") || cipher.startsWith("DES_EDE") || cipher.contains("3DES")) t.add(Trait.TRIPLE_DES);
        else if (cipher.startsWith("DES")) t.add(Trait.DES);
        if (cipher.startsWith("CAMELLIA")) t.add(Trait.CAMELLIA);
        if (cipher.startsWith("ARIA")) t.add(Trait.ARIA);
        if (cipher.startsWith("SEED")) t.add(Trait.SEED);
        if (cipher.startsWith("SM4") || cipher.contains("KUZNYECHIK") || cipher.contains("MAGMA") || cipher.contains("28147")) {
            t.add(Trait.NATIONAL);
        }
        if (cipher.startsWith("CHACHA20")) t.add(Trait.CHACHA20);
        if (cipher.endsWith("CCM_8")) t.add(Trait.CCM_8);
        if (cipher.contains("GCM") || cipher.contains("CCM") || cipher.contains("POLY1305")) t.add(Trait.AEAD);
        if (cipher.contains("CBC")) t.add(Trait.CBC);
        if (mac.equals("SHA") && !t.contains(Trait.AEAD)) t.add(Trait.SHA1_MAC);
        if (mac.equals("MD5")) t.add(Trait.MD5_MAC);
    }
}
