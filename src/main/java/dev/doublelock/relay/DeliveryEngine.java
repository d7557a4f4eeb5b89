package dev.doublelock.relay;

/**
 * What the relay needs from the delivery side: start working the queue, stop gracefully (in-flight
 * deliveries finish or are left to their lease, so they are claimed again), and report metrics.
 * {@code dev.doublelock.relay.delivery.DeliveryWorker} is the real one.
 */
public interface DeliveryEngine extends AutoCloseable {
    void start();

    /**
     * Starts, with a channel for one-line operator notices (the relay's console), e.g. that the resolver withholds
     * DNSSEC data. Default: {@link #start()}.
     */
    default void start(java.util.function.Consumer<String> notices) {
        start();
    }

    /** Stops taking new work and waits for in-flight deliveries to finish. */
    @Override
    void close();

    /** Mail was queued: look for due messages now rather than at the next poll. Default: nothing. */
    default void wake() {
    }

    /** The delivery metrics as Prometheus client collectors (the relay registers them); default none. */
    default java.util.List<io.prometheus.metrics.model.registry.Collector> collectors() {
        return java.util.List.of();
    }

    /** Metrics in Prometheus text format of an engine without {@link #collectors()} (may be empty). */
    String prometheusText();

    /** An engine that delivers nothing: the relay accepts and queues mail only. */
    DeliveryEngine QUEUE_ONLY = new DeliveryEngine() {
        @Override
        public void start() {
        }

        @Override
        public void close() {
        }

        @Override
        public String prometheusText() {
            return "";
        }
    };
}
