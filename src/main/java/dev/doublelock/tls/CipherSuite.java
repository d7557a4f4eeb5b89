package dev.doublelock.tls;

/**
 * One entry of the IANA TLS Cipher Suites registry, with the properties its name encodes. Produced by
 * {@link CipherSuites}; the policy engine judges suites by these properties, the prober uses them to
 * decide which suites to offer for which protocol version.
 *
 * @param code           the two-byte wire code (0x0000..0xFFFF)
 * @param name           the IANA description, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
 * @param keyExchange    how the premaster/shared secret is agreed
 * @param authentication how the server proves its identity
 * @param cipher         the bulk cipher token as IANA spells it ("AES_128_GCM", "3DES_EDE_CBC", "RC4_128",
 *                       "CHACHA20_POLY1305", "AES_128_CCM_8", "NULL", ...)
 * @param mac            the record MAC ("SHA", "SHA256", "SHA384", "MD5", "NULL") or "AEAD" for AEAD ciphers
 * @param export         an export-grade (40/56-bit) suite
 * @param minVersion     the lowest protocol version that defines this suite
 * @param maxVersion     the highest protocol version that allows it
 */
public record CipherSuite(int code, String name, KeyExchange keyExchange, Authentication authentication,
                          String cipher, String mac, boolean export, TlsVersion minVersion, TlsVersion maxVersion) {

    /** Key exchange, as the part of the name before "_WITH_" says. */
    public enum KeyExchange {
        NULL, RSA, DH, DHE, ECDH, ECDHE, PSK, DHE_PSK, RSA_PSK, ECDHE_PSK, SRP, KRB5, ECCPWD, GOST, TLS13, SCSV
    }

    /** Server authentication. ANON means none at all. */
    public enum Authentication { NULL, RSA, DSS, ECDSA, ANON, PSK, SRP, KRB5, ECCPWD, GOST, TLS13, SCSV }

    /** True for the signalling values (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV): not real suites. */
    public boolean signalling() {
        return keyExchange == KeyExchange.SCSV;
    }

    /** True if the key exchange is ephemeral (forward secret). Anonymous DH/ECDH are ephemeral too. */
    public boolean forwardSecret() {
        return switch (keyExchange) {
            case DHE, ECDHE, DHE_PSK, ECDHE_PSK, TLS13, ECCPWD -> true;
            case DH, ECDH -> authentication == Authentication.ANON;
            default -> false;
        };
    }

    public boolean anonymous() {
        return authentication == Authentication.ANON;
    }

    public boolean aead() {
        return "AEAD".equals(mac);
    }

    public boolean cbc() {
        return cipher.contains("CBC");
    }

    public boolean nullCipher() {
        return cipher.equals("NULL");
    }

    public boolean rc4() {
        return cipher.startsWith("RC4");
    }

    public boolean tripleDes() {
        return cipher.startsWith("3DES");
    }

    /** Single DES, DES40 and export DES: broken by brute force. */
    public boolean des() {
        return cipher.startsWith("DES");
    }

    /** Suites that may be offered in a TLS ≤ 1.2 hello at {@code version}. */
    public boolean usableIn(TlsVersion version) {
        return !signalling() && version.compareTo(minVersion) >= 0 && version.compareTo(maxVersion) <= 0;
    }

    @Override
    public String toString() {
        return name + String.format("(0x%04X)", code);
    }
}
