package dev.doublelock.relay.delivery;

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
 */
public record DeliveryOptions(String nodeId, String ehloName, int concurrency, int perDestinationConcurrency,
                              Duration lease, RetrySchedule schedule, PolicyMap policies,
                              Collection<X509Certificate> extraTrustAnchors, boolean jdkTrustAnchors,
                              Optional<Path> deliveryLog, Duration pollInterval, String postmasterAddress,
                              ClientOptions clientOptions) {

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
        if (!jdkTrustAnchors && extraTrustAnchors.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors: enable the JDK's CA store or give extra anchors, "
                    + "otherwise no server can ever be verified");
        }
        if (!clientOptions.ehloName().equals(ehloName)) {
            clientOptions = new ClientOptions(ehloName, clientOptions.connectTimeout(), clientOptions.commandTimeout(),
                    clientOptions.dataTimeout(), clientOptions.maxReplyLines(), clientOptions.maxLineLength());
        }
    }

    /** 20 messages at once, 4 per domain, 5-minute leases, default schedule, {@code bsi} enforced, JDK CAs. */
    public static DeliveryOptions defaults(String ehloName) {
        return new DeliveryOptions(ehloName + "-" + UUID.randomUUID().toString().substring(0, 8), ehloName, 20, 4,
                Duration.ofMinutes(5), RetrySchedule.defaults(), PolicyMap.defaults(), List.of(), true, Optional.empty(),
                Duration.ofSeconds(5), "postmaster@" + ehloName, ClientOptions.defaults(ehloName));
    }

    public DeliveryOptions withNodeId(String v) {
        return new DeliveryOptions(v, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withConcurrency(int total, int perDestination) {
        return new DeliveryOptions(nodeId, ehloName, total, perDestination, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withLease(Duration v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, v, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withSchedule(RetrySchedule v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, v, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withPolicies(PolicyMap v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, v,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withTrust(Collection<X509Certificate> extra, boolean jdk) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extra, jdk, deliveryLog, pollInterval, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withDeliveryLog(Optional<Path> v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, v, pollInterval, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withPollInterval(Duration v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, v, postmasterAddress, clientOptions);
    }

    public DeliveryOptions withPostmasterAddress(String v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, v, clientOptions);
    }

    public DeliveryOptions withClientOptions(ClientOptions v) {
        return new DeliveryOptions(nodeId, ehloName, concurrency, perDestinationConcurrency, lease, schedule, policies,
                extraTrustAnchors, jdkTrustAnchors, deliveryLog, pollInterval, postmasterAddress, v);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
