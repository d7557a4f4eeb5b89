package dev.doublelock.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.doublelock.tls.CipherSuite.Authentication;
import dev.doublelock.tls.CipherSuite.KeyExchange;

/**
 * The IANA TLS Cipher Suites registry: code ↔ name, with properties parsed from the names. The table
 * is the resource {@code cipher-suites.txt} beside this class (one "0xCODE NAME" per line).
 */
public final class CipherSuites {
    private static final String RESOURCE = "cipher-suites.txt";
    private static final Map<Integer, CipherSuite> BY_CODE;
    private static final Map<String, CipherSuite> BY_NAME;

    static {
        Map<Integer, CipherSuite> byCode = new LinkedHashMap<>();
        Map<String, CipherSuite> byName = new LinkedHashMap<>();
        for (CipherSuite s : load()) {
            byCode.put(s.code(), s);
            byName.put(s.name(), s);
        }
        BY_CODE = Collections.unmodifiableMap(byCode);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private CipherSuites() {
    }

    /** Every registered suite (signalling values included), ordered by code. */
    public static List<CipherSuite> all() {
        return List.copyOf(BY_CODE.values());
    }

    public static Optional<CipherSuite> byCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** Accepts the IANA name and the JSSE/OpenSSL-style legacy spelling with an "SSL_" prefix. */
    public static Optional<CipherSuite> byName(String name) {
        CipherSuite s = BY_NAME.get(name);
        if (s == null && name.startsWith("SSL_")) {
            s = BY_NAME.get("TLS_" + name.substring(4));
        }
        return Optional.ofNullable(s);
    }

    /** The IANA name for a code, or "0xABCD" if the code is not registered. */
    public static String nameOf(int code) {
        CipherSuite s = BY_CODE.get(code);
        return s != null ? s.name() : String.format("0x%04X", code);
    }

    /**
     * Suites a prober should offer in a TLS ≤ 1.2 ClientHello at {@code version}: every real suite that
     * exists at that version, including those the RFCs later withdrew (a server that still accepts export
     * or DES suites in TLS 1.2 is exactly what a checker wants to see). No signalling values, no TLS 1.3 suites.
     */
    public static List<CipherSuite> offerableIn(TlsVersion version) {
        return BY_CODE.values().stream()
                .filter(s -> !s.signalling() && s.keyExchange() != KeyExchange.TLS13 && version != TlsVersion.TLS_1_3)
                .filter(s -> version.compareTo(s.minVersion()) >= 0)
                .toList();
    }

    /** The TLS 1.3 suites (TLS_AES_128_GCM_SHA256 ...). */
    public static List<CipherSuite> tls13() {
        return BY_CODE.values().stream().filter(s -> s.keyExchange() == KeyExchange.TLS13).toList();
    }

    private static List<CipherSuite> load() {
        try (InputStream in = CipherSuites.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing next to CipherSuites.class: rebuild the jar");
            }
            List<CipherSuite> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\\s+");
                out.add(parse(Integer.decode(f[0]), f[1]));
            }
            out.sort((a, b) -> Integer.compare(a.code(), b.code()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the properties from an IANA suite name. Package-visible for tests. */
    static CipherSuite parse(int code, String name) {
        if (name.endsWith("_SCSV")) {
            return new CipherSuite(code, name, KeyExchange.SCSV, Authentication.SCSV, "NULL", "NULL", false,
                    TlsVersion.SSL_3_0, TlsVersion.TLS_1_3);
        }
        String body = name.substring(4); // drop "TLS_"
        int with = body.indexOf("_WITH_");
        if (with < 0) { // TLS 1.3 style: TLS_AES_128_GCM_SHA256, TLS_SHA256_SHA256, TLS_SM4_GCM_SM3
            String[] cm = splitCipherMac(body);
            return new CipherSuite(code, name, KeyExchange.TLS13, Authentication.TLS13, cm[0], cm[1], false,
                    TlsVersion.TLS_1_3, TlsVersion.TLS_1_3);
        }
        String kxAuth = body.substring(0, with);
        boolean export = kxAuth.contains("EXPORT");
        kxAuth = kxAuth.replace("_EXPORT", "");
        String[] cm = splitCipherMac(body.substring(with + 6));
        export |= cm[0].contains("40") && !cm[0].contains("AES");
        KeyExchange kx;
        Authentication au;
        switch (kxAuth) {
            case "NULL" -> { kx = KeyExchange.NULL; au = Authentication.NULL; }
            case "RSA" -> { kx = KeyExchange.RSA; au = Authentication.RSA; }
            case "DH_DSS" -> { kx = KeyExchange.DH; au = Authentication.DSS; }
            case "DH_RSA" -> { kx = KeyExchange.DH; au = Authentication.RSA; }
            case "DHE_DSS" -> { kx = KeyExchange.DHE; au = Authentication.DSS; }
            case "DHE_RSA" -> { kx = KeyExchange.DHE; au = Authentication.RSA; }
            case "DH_anon" -> { kx = KeyExchange.DH; au = Authentication.ANON; }
            case "ECDH_ECDSA" -> { kx = KeyExchange.ECDH; au = Authentication.ECDSA; }
            case "ECDH_RSA" -> { kx = KeyExchange.ECDH; au = Authentication.RSA; }
            case "ECDHE_ECDSA" -> { kx = KeyExchange.ECDHE; au = Authentication.ECDSA; }
            case "ECDHE_RSA" -> { kx = KeyExchange.ECDHE; au = Authentication.RSA; }
            case "ECDH_anon" -> { kx = KeyExchange.ECDH; au = Authentication.ANON; }
            case "PSK" -> { kx = KeyExchange.PSK; au = Authentication.PSK; }
            case "DHE_PSK", "PSK_DHE" -> { kx = KeyExchange.DHE_PSK; au = Authentication.PSK; }
            case "RSA_PSK" -> { kx = KeyExchange.RSA_PSK; au = Authentication.RSA; }
            case "ECDHE_PSK" -> { kx = KeyExchange.ECDHE_PSK; au = Authentication.PSK; }
            case "SRP_SHA" -> { kx = KeyExchange.SRP; au = Authentication.SRP; }
            case "SRP_SHA_RSA" -> { kx = KeyExchange.SRP; au = Authentication.RSA; }
            case "SRP_SHA_DSS" -> { kx = KeyExchange.SRP; au = Authentication.DSS; }
            case "KRB5" -> { kx = KeyExchange.KRB5; au = Authentication.KRB5; }
            case "ECCPWD" -> { kx = KeyExchange.ECCPWD; au = Authentication.ECCPWD; }
            default -> {
                if (!kxAuth.startsWith("GOSTR")) {
                    throw new IllegalStateException("cipher-suites.txt: cannot parse key exchange of " + name);
                }
                kx = KeyExchange.GOST;
                au = Authentication.GOST;
            }
        }
        return new CipherSuite(code, name, kx, au, cm[0], cm[1], export, minVersion(kx, cm), maxVersion(export, cm[0]));
    }

    private static String[] splitCipherMac(String s) {
        for (String mac : List.of("_SHA512", "_SHA384", "_SHA256", "_SHA", "_MD5", "_SM3", "_NULL", "_OMAC", "_IMIT")) {
            if (s.endsWith(mac)) {
                String cipher = s.substring(0, s.length() - mac.length());
                return new String[]{cipher, isAead(cipher) ? "AEAD" : mac.substring(1)};
            }
        }
        return new String[]{s, isAead(s) ? "AEAD" : "NULL"}; // AES_128_CCM_8, MAGMA_MGM_L: AEAD without a hash
    }

    private static boolean isAead(String cipher) {
        return cipher.contains("GCM") || cipher.contains("CCM") || cipher.contains("POLY1305") || cipher.contains("MGM")
                || cipher.startsWith("AEGIS") || cipher.equals("SHA256") || cipher.equals("SHA384");
    }

    private static TlsVersion minVersion(KeyExchange kx, String[] cm) {
        boolean needs12 = cm[1].equals("AEAD") || cm[1].startsWith("SHA2") || cm[1].equals("SHA384")
                || kx == KeyExchange.GOST || kx == KeyExchange.ECCPWD;
        if (needs12) return TlsVersion.TLS_1_2;
        return switch (kx) { // these need ClientHello extensions or came with TLS-era RFCs
            case ECDH, ECDHE, PSK, DHE_PSK, RSA_PSK, ECDHE_PSK, SRP -> TlsVersion.TLS_1_0;
            default -> TlsVersion.SSL_3_0;
        };
    }

    private static TlsVersion maxVersion(boolean export, String cipher) {
        // RFC 4346 forbids export suites in TLS 1.1; RFC 5246 drops single DES and IDEA from TLS 1.2.
        if (export) return TlsVersion.TLS_1_0;
        if (cipher.startsWith("DES") || cipher.startsWith("IDEA")) return TlsVersion.TLS_1_1;
        return TlsVersion.TLS_1_2;
    }
}
