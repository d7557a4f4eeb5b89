package dev.doublelock.policy;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import dev.doublelock.policy.SuiteTraits.Trait;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SuiteTraitsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256     | ECDHE_ECDSA | AES_128_GCM       | AEAD
            TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256       | ECDHE_RSA   | AES_128_CBC       | CBC
            TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA          | ECDHE_RSA   | AES_128_CBC       | CBC SHA1_MAC
            TLS_RSA_WITH_AES_128_GCM_SHA256             | RSA         | AES_128_GCM       | NO_PFS AEAD
            TLS_DHE_RSA_WITH_AES_256_CCM                | DHE_RSA     | AES_256_CCM       | AEAD
            TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8          | ECDHE_ECDSA | AES_128_CCM_8     | AEAD CCM_8
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 | ECDHE_RSA   | CHACHA20_POLY1305 | AEAD CHACHA20
            TLS_AES_128_GCM_SHA256                      | TLS13       | AES_128_GCM       | AEAD
            TLS_CHACHA20_POLY1305_SHA256                | TLS13       | CHACHA20_POLY1305 | AEAD CHACHA20
            TLS_AES_128_CCM_8_SHA256                    | TLS13       | AES_128_CCM_8     | AEAD CCM_8
            TLS_RSA_WITH_3DES_EDE_CBC_SHA               | RSA         | 3DES_EDE_CBC      | NO_PFS TRIPLE_DES CBC SHA1_MAC
            SSL_RSA_WITH_3DES_EDE_CBC_SHA               | RSA         | 3DES_EDE_CBC      | NO_PFS TRIPLE_DES CBC SHA1_MAC
            TLS_RSA_WITH_RC4_128_MD5                    | RSA         | RC4_128           | NO_PFS RC4 MD5_MAC
            TLS_RSA_EXPORT_WITH_DES40_CBC_SHA           | RSA_EXPORT  | DES40_CBC         | NO_PFS EXPORT DES CBC SHA1_MAC
            TLS_DH_anon_WITH_AES_128_GCM_SHA256         | DH_ANON     | AES_128_GCM       | ANON AEAD
            TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256      | ECDH_ECDSA  | AES_128_GCM       | NO_PFS AEAD
            TLS_RSA_WITH_NULL_SHA256                    | RSA         | NULL              | NO_PFS NULL_CIPHER
            TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256  | ECDHE_RSA   | CAMELLIA_128_GCM  | AEAD CAMELLIA
            TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384      | ECDHE_RSA   | ARIA_256_GCM      | AEAD ARIA
            TLS_PSK_WITH_AES_128_GCM_SHA256             | PSK         | AES_128_GCM       | NO_PFS PSK AEAD
            TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256       | ECDHE_PSK   | AES_128_GCM       | PSK AEAD
            TLS_EMPTY_RENEGOTIATION_INFO_SCSV           | ?           | ?                 | UNPARSEABLE
            """)
    void parsesIanaNames(String name, String kx, String cipher, String traits) {
        SuiteTraits t = SuiteTraits.of(name);
        assertThat(t.keyExchange()).isEqualTo(kx);
        assertThat(t.cipher()).isEqualTo(cipher);
        Set<Trait> expected = Arrays.stream(traits.split(" ")).map(Trait::valueOf).collect(Collectors.toSet());
        assertThat(t.traits()).isEqualTo(expected);
    }
}
