package dev.doublelock.relay;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The relay's TLS reporting (RFC 8460), the config's {@code tlsrpt} object. Sessions are always counted; reports are
 * sent only when {@code enabled}, once a day for the day before (UTC), by one node of a shared queue.
 *
 * @param enabled          send reports
 * @param organizationName {@code organization-name} in the report; default the relay's host name
 * @param contact          {@code contact-info}; default {@code mailto:postmaster@HOST}
 * @param dkimKey          PEM private key (RSA or Ed25519) that signs report mail; none: unsigned (said at start)
 * @param dkimSelector     the DKIM selector; the public key is published at {@code SELECTOR._domainkey.DOMAIN}
 * @param dkimDomain       the signing domain ({@code d=}); default the relay's host name
 */
public record TlsReportConfig(boolean enabled, String organizationName, String contact, Optional<Path> dkimKey,
                              String dkimSelector, String dkimDomain) {
    public TlsReportConfig {
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(dkimKey, "dkimKey");
        Objects.requireNonNull(dkimSelector, "dkimSelector");
        Objects.requireNonNull(dkimDomain, "dkimDomain");
    }

    /** Off; names derived from {@code hostName}. */
    public static TlsReportConfig off(String hostName) {
        return new TlsReportConfig(false, hostName, "mailto:postmaster@" + hostName, Optional.empty(), "tlsrpt", hostName);
    }
}
