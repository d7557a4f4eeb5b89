package dev.doublelock.smtp.client;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How STARTTLS is done: the caller's {@link SSLContext} (which carries its trust decision: PKIX against
 * chosen anchors, or a trust manager that records the chain and rejects it) and what the client offers.
 * There is deliberately no "trust everything" option here.
 *
 * @param context                the context whose socket factory makes the client socket
 * @param protocols              JSSE protocol names to offer ("TLSv1.3", "TLSv1.2"); must not be empty
 * @param cipherSuites           JSSE/IANA suite names to offer; empty = the provider's defaults
 * @param namedGroups            key-exchange groups to offer ("x25519", "secp256r1"); empty = provider default
 * @param sni                    the server name to send (usually the MX host); empty = send no SNI
 * @param endpointIdentification check the certificate against the session's reference name (RFC 6125 rules
 *                               as JSSE's "HTTPS" algorithm applies them)
 */
public record ClientTlsConfig(SSLContext context, List<String> protocols, List<String> cipherSuites,
                              List<String> namedGroups, Optional<String> sni, boolean endpointIdentification) {
    public ClientTlsConfig {
        Objects.requireNonNull(context, "context");
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        namedGroups = List.copyOf(namedGroups);
        Objects.requireNonNull(sni, "sni");
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols must name at least one JSSE protocol, e.g. TLSv1.3 and TLSv1.2");
        }
        sni.ifPresent(name -> {
            if (name.isBlank() || name.endsWith(".") || !name.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new IllegalArgumentException("sni must be an ASCII host name without trailing dot (use the "
                        + "A-label of an internationalised name); got: " + name);
            }
        });
    }

    /**
     * TLS 1.3 and 1.2 with the provider's suites and groups, SNI and host-name checking for
     * {@code referenceName}: what a verifying MTA does.
     */
    public static ClientTlsConfig verifying(SSLContext context, String referenceName) {
        return new ClientTlsConfig(context, List.of("TLSv1.3", "TLSv1.2"), List.of(), List.of(),
                Optional.of(referenceName), true);
    }

    public ClientTlsConfig withProtocols(String... names) {
        return new ClientTlsConfig(context, List.of(names), cipherSuites, namedGroups, sni, endpointIdentification);
    }

    public ClientTlsConfig withCipherSuites(List<String> names) {
        return new ClientTlsConfig(context, protocols, names, namedGroups, sni, endpointIdentification);
    }

    public ClientTlsConfig withNamedGroups(List<String> names) {
        return new ClientTlsConfig(context, protocols, cipherSuites, names, sni, endpointIdentification);
    }

    public ClientTlsConfig withSni(Optional<String> name) {
        return new ClientTlsConfig(context, protocols, cipherSuites, namedGroups, name, endpointIdentification);
    }

    public ClientTlsConfig withEndpointIdentification(boolean on) {
        return new ClientTlsConfig(context, protocols, cipherSuites, namedGroups, sni, on);
    }
}
