package dev.doublelock.relay.delivery;

import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.queue.RetrySchedule;
import dev.doublelock.smtp.client.ClientOptions;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * How a {@link DeliveryWorker} behaves.
 *
 * @param nodeId                    this relay node's name in queue leases (unique per node sharing a queue)
 * @param ehloName                  the relay's host name: EHLO, Received headers, Reporting-MTA of DSNs
 * @param concurrency               most messages delivered at once
 * @param perDestinationConcurrency most deliveries at once to one recipient domain
 * @param lease                     how long a claimed message is ours before another node may take it over;
 *                                  renewed while delivering
 * @param schedule                  retry, delay-notice and give-up times
 * @param policies                  which policy for which domain, enforced or in testing mode
 * @param extraTrustAnchors         CA certificates trusted in addition to (or instead of) the JDK's
 * @param jdkTrustAnchors           trust the JDK's default CA store
 * @param deliveryLog               a file receiving one JSON line per attempt, if set
 * @param pollInterval              how often the background loop looks for due messages when idle
 * @param postmasterAddress         the From of DSNs this relay sends
 * @param clientOptions             SMTP client timeouts and limits (its EHLO name is replaced by {@code ehloName})
 * @param mxPort                    the SMTP port of hosts found by MX lookup (25; a test seam for loopback receivers)
 * @param stsFetcher                how MTA-STS policies are fetched; empty = HTTPS to {@code mta-sts.DOMAIN} with the
 *                                  JDK's CA store and a 10-second timeout. MTA-STS and DANE are used whenever the
 *                                  router has a DNS resolver
 * @param connectionCacheTime       how long a judged TLS connection stays open after its last message, waiting for
 *                                  the next message with the same delivery decision (zero: connections are shared
 *                                  only within one claim batch)
 */
public record DeliveryOptions(String nodeId, String ehloName, int concurrency, int perDestinationConcurrency,
                              Duration lease, RetrySchedule schedule, PolicyMap policies,
                              Collection<X509Certificate> extraTrustAnchors, boolean jdkTrustAnchors,
                              Optional<Path> deliveryLog, Duration pollInterval, String postmasterAddress,
                              ClientOptions clientOptions, int mxPort, Optional<StsFetcher> stsFetcher,
                              Duration connectionCacheTime) {

    /** How long a judged connection waits for the next message to its destination by default (Postfix: 2 s). */
    public static final Duration DEFAULT_CONNECTION_CACHE_TIME = Duration.ofSeconds(2);

    public DeliveryOptions {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(ehloName, "ehloName");
        if (concurrency < 1 || perDestinationConcurrency < 1) {
            throw new IllegalArgumentException("concurrency and perDestinationConcurrency must be at least 1");
        }
        positive(lease, "lease");
        positive(pollInterval, "pollInterval");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(policies, "policies");
        extraTrustAnchors = List.copyOf(extraTrustAnchors);
        Objects.requireNonNull(deliveryLog, "deliveryLog");
        Objects.requireNonNull(postmasterAddress, "postmasterAddress");
        Objects.requireNonNull(clientOptions, "clientOptions");
        if (mxPort < 1 || mxPort > 65535) {
            throw new IllegalArgumentException("mxPort must be 1..65535, got " + mxPort);
        }
        Objects.requireNonNull(stsFetcher, "stsFetcher");
        if (connectionCacheTime == null || connectionCacheTime.isNegative()) {
            throw new IllegalArgumentException("connectionCacheTime must be zero (off) or positive, got "
                    + connectionCacheTime);
        }
        if (!jdkTrustAnchors && extraTrustAnchors.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors: enable the JDK's CA store or give extra anchors, "
                    + "otherwise no server can ever be verified");
        }
        if (!clientOptions.ehloName().equals(ehloName)) {
            clientOptions = new ClientOptions(ehloName, clientOptions.connectTimeout(), clientOptions.commandTimeout(),
                    clientOptions.dataTimeout(), clientOptions.maxReplyLines(), clientOptions.maxLineLength());
        }
    }

    /** As the canonical constructor, with MX hosts on port 25 and the standard MTA-STS fetcher. */
    public DeliveryOptions(String nodeId, String ehloName, int concurrency, int perDestinationConcurrency,
                           Duration lease, RetrySchedule schedule, PolicyMap policies,
                           Collection<X509Certificate> extraTrustAnchors, boolean jdkTrustAnchors,
                           Optional<Path> deliveryLog, Duration pollInterval, String postmasterAddress,
                           ClientOptions clientOptions) {
        this(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies, extraTrustAnchors,
                jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, 25, Optional.empty(),
                DEFAULT_CONNECTION_CACHE_TIME);
    }

    /** 20 messages at once, 4 per domain, 5-minute leases, default schedule, {@code bsi} enforced, JDK CAs. */
    public static DeliveryOptions defaults(String ehloName) {
        return new DeliveryOptions(ehloName + "-" + UUID.randomUUID().toString().substring(0, 8), ehloName, 20, 4,
                Duration.ofMinutes(5), RetrySchedule.defaults(), PolicyMap.defaults(), List.of(), true, Optional.empty(),
                Duration.ofSeconds(5), "postmaster@" + ehloName, ClientOptions.defaults(ehloName), 25, Optional.empty(), DEFAULT_CONNECTION_CACHE_TIME);
    }

    public DeliveryOptions withNodeId(String v) {
        return new DeliveryOptions(v, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withConcurrency(int total, int perDestination) {
        return new DeliveryOptions(nodeId, ehloName, total, perDestination, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withLease(Duration v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, v, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withSchedule(RetrySchedule v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, v, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withPolicies(PolicyMap v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, v,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withTrust(Collection<X509Certificate> extra, boolean jdk) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extra, jdk, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withDeliveryLog(Optional<Path> v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, v, pollInterval, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withPollInterval(Duration v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, v, postmasterAddress, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withPostmasterAddress(String v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, v, clientOptions, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withClientOptions(ClientOptions v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, v, mxPort, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withMxPort(int v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, v, stsFetcher, connectionCacheTime);
    }

    public DeliveryOptions withStsFetcher(StsFetcher v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort, Optional.of(v), connectionCacheTime);
    }

    /** Keep judged connections open this long after their last message (zero: only within one claim batch). */
    public DeliveryOptions withConnectionCacheTime(Duration v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions, mxPort,
                stsFetcher, v);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
