package dev.doublelock.policy;

import java.util.List;
import java.util.Optional;

/** The registry: every check the engine runs, in report order. A policy rule names one by its type. */
final class Checks {
    static final List<Check> ALL = List.of(
            new Reachable(),
            new StartTlsMissing(),
            new StartTlsFailed(),
            new LegacyProtocolAccepted(),
            new NoRecommendedProtocol(),
            new CipherNotRecommended(),
            new WeakKeyExchange(),
            new NoSecureRenegotiation(),
            new ClientRenegotiationAccepted(),
            new FallbackScsvMissing(),
            new TlsCompression(),
            new HeartbeatExtension(),
            new Sslv2Accepted(),
            new Heartbleed(),
            new Robot(),
            new Ticketbleed(),
            new CcsInjection(),
            new StartTlsInjection(),
            new CertificateMissing(),
            new UnknownIssuer(),
            new CertificateExpired(),
            new CertificateNotYetValid(),
            new BadCertDomain(),
            new WeakSignatureAlgorithm(),
            new WeakKey(),
            new KeyUsageMismatch(),
            new RevocationInfoMissing(),
            new CertificateRevoked(),
            new OcspStapleInvalid(),
            new DaneRequired());

    private Checks() {
    }

    static Optional<Check> byType(String type) {
        return ALL.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    static List<String> types() {
        return ALL.stream().map(Check::type).toList();
    }
}
