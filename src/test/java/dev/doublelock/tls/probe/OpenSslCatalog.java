package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;

import java.util.List;

/**
 * What the random server configurations draw from: OpenSSL 3.0 cipher and group names with the IANA names the
 * checker reports. Legacy (CBC, static RSA, NULL, CAMELLIA, ARIA, CCM) and anonymous suites are in on purpose.
 */
final class OpenSslCatalog {
    private OpenSslCatalog() {
    }

    /** One TLS ≤ 1.2 suite: its OpenSSL name and the registry entry behind its IANA name. */
    record Suite(String openssl, String iana) {
        CipherSuite info() {
            return CipherSuites.byName(iana).orElseThrow(() -> new IllegalStateException("not in the registry: " + iana));
        }
    }

    /** One group: OpenSSL's name for {@code -groups}, the IANA name, and the versions OpenSSL 3.0 uses it in. */
    record Group(String openssl, String iana, boolean tls12, boolean tls13) {
    }

    static final List<Suite> SUITES = List.of(
            // TLS 1.2 only (AEAD or SHA-2 MACs)
            new Suite("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            new Suite("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            new Suite("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            new Suite("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            new Suite("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            new Suite("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            new Suite("DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
            new Suite("DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
            new Suite("DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            new Suite("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            new Suite("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
            new Suite("DHE-RSA-AES256-SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
            new Suite("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            new Suite("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256"),
            new Suite("ECDHE-ECDSA-AES128-CCM", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
            new Suite("AES256-CCM", "TLS_RSA_WITH_AES_256_CCM"),
            new Suite("DHE-RSA-AES128-CCM8", "TLS_DHE_RSA_WITH_AES_128_CCM_8"),
            new Suite("ECDHE-ARIA128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"),
            new Suite("ECDHE-ECDSA-CAMELLIA128-SHA256", "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"),
            new Suite("ADH-AES128-GCM-SHA256", "TLS_DH_anon_WITH_AES_128_GCM_SHA256"),
            new Suite("ADH-AES256-SHA256", "TLS_DH_anon_WITH_AES_256_CBC_SHA256"),
            new Suite("NULL-SHA256", "TLS_RSA_WITH_NULL_SHA256"),
            // TLS 1.0 and later
            new Suite("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            new Suite("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            new Suite("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            new Suite("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            new Suite("DHE-RSA-AES128-SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
            new Suite("DHE-RSA-AES256-SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
            new Suite("DHE-RSA-CAMELLIA256-SHA", "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"),
            new Suite("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
            new Suite("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
            new Suite("CAMELLIA128-SHA", "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"),
            new Suite("ADH-AES128-SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
            new Suite("AECDH-AES256-SHA", "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"),
            new Suite("AECDH-NULL-SHA", "TLS_ECDH_anon_WITH_NULL_SHA"),
            new Suite("NULL-SHA", "TLS_RSA_WITH_NULL_SHA"),
            new Suite("NULL-MD5", "TLS_RSA_WITH_NULL_MD5"),
            new Suite("ECDHE-RSA-NULL-SHA", "TLS_ECDHE_RSA_WITH_NULL_SHA"));

    static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");

    static final List<Group> GROUPS = List.of(
            new Group("X25519", "x25519", true, true),
            new Group("X448", "x448", true, true),
            new Group("P-256", "secp256r1", true, true),
            new Group("P-384", "secp384r1", true, true),
            new Group("P-521", "secp521r1", true, true),
            new Group("P-224", "secp224r1", true, false),
            new Group("secp256k1", "secp256k1", true, false),
            new Group("brainpoolP256r1", "brainpoolP256r1", true, false),
            new Group("brainpoolP384r1", "brainpoolP384r1", true, false),
            new Group("brainpoolP512r1", "brainpoolP512r1", true, false),
            new Group("ffdhe2048", "ffdhe2048", false, true),
            new Group("ffdhe3072", "ffdhe3072", false, true),
            new Group("ffdhe4096", "ffdhe4096", false, true));

    /** Every TLS ≤ 1.2 elliptic-curve group, for an {@code s_client} that must offer whatever the server has. */
    static String allTls12EcGroups() {
        return String.join(":", GROUPS.stream().filter(Group::tls12).map(Group::openssl).toList());
    }
}
