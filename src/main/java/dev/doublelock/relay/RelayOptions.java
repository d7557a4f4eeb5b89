package dev.doublelock.relay;

import dev.doublelock.relay.intake.NetworkAllowList;
import dev.doublelock.relay.intake.UserDirectory;
import dev.doublelock.smtp.server.SmtpLimits;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link Relay} needs, already validated (the config file reader builds it).
 *
 * @param dataDir          where the queue (by default) and the self-signed certificate live
 * @param hostName         the relay's name: SMTP greeting, EHLO to receivers, Received: headers
 * @param queueUrl         JDBC URL or file for the queue; empty: SQLite file {@code dataDir/queue.db}
 * @param submission       the submission listener (STARTTLS, AUTH); empty: none
 * @param relay            the relay listener for allow-listed networks; empty: none
 * @param allowedNetworks  who may use the relay listener
 * @param users            who may use the submission listener
 * @param tlsCertificate   PEM chain (leaf first) for STARTTLS; empty: self-signed under dataDir/tls
 * @param tlsKey           PEM private key for it
 * @param metrics          the Prometheus endpoint (GET /metrics); empty: none
 * @param limits           SMTP limits for both listeners
 * @param authFailureDelay wait before a 535
 * @param authFailureLimit failed AUTH attempts per client address (all sessions) before it gets 421 for a while
 * @param delivery         policy and routing, for the delivery engine
 * @param tlsReports       TLS reporting (RFC 8460)
 * @param dns              which DNS resolver the relay asks, and the DNSSEC trust anchor it validates from
 * @param page             the relay page ({@link RelayPage}); empty: none (the default)
 */
public record RelayOptions(Path dataDir, String hostName, Optional<String> queueUrl,
                           Optional<InetSocketAddress> submission, Optional<InetSocketAddress> relay,
                           NetworkAllowList allowedNetworks, UserDirectory users,
                           Optional<Path> tlsCertificate, Optional<Path> tlsKey,
                           Optional<InetSocketAddress> metrics, SmtpLimits limits, Duration authFailureDelay,
                           dev.doublelock.relay.intake.AuthFailureLimit authFailureLimit, DeliverySettings delivery,
                           TlsReportConfig tlsReports, ResolverSettings dns, Optional<InetSocketAddress> page) {
    public RelayOptions {
        Objects.requireNonNull(page, "page");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(allowedNetworks, "allowedNetworks");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        Objects.requireNonNull(authFailureLimit, "authFailureLimit");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(tlsReports, "tlsReports");
        Objects.requireNonNull(dns, "dns");
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("give both the TLS certificate and its key, or neither");
        }
    }

    /** The queue location: the configured URL or the SQLite file in the data directory. */
    public String queueLocation() {
        return queueUrl.orElse(dataDir.resolve("queue.db").toString());
    }

    /** A copy keeping its data (queue by default, self-signed certificate, delivery log) in {@code dir}. */
    public RelayOptions withDataDir(Path dir) {
        return new RelayOptions(dir, hostName, queueUrl, submission, relay, allowedNetworks, users, tlsCertificate,
                tlsKey, metrics, limits, authFailureDelay, authFailureLimit, delivery, tlsReports, dns, page);
    }

    /** A copy with other listener addresses (tests bind port 0). */
    public RelayOptions withListeners(Optional<InetSocketAddress> submission, Optional<InetSocketAddress> relay,
                                      Optional<InetSocketAddress> metrics) {
        return new RelayOptions(dataDir, hostName, queueUrl, submission, relay, allowedNetworks, users, tlsCertificate,
                tlsKey, metrics, limits, authFailureDelay, authFailureLimit, delivery, tlsReports, dns, page);
    }

    /** A copy with the relay page at {@code page} (empty: none). */
    public RelayOptions withPage(Optional<InetSocketAddress> page) {
        return new RelayOptions(dataDir, hostName, queueUrl, submission, relay, allowedNetworks, users, tlsCertificate,
                tlsKey, metrics, limits, authFailureDelay, authFailureLimit, delivery, tlsReports, dns, page);
    }
}
