package dev.doublelock.relay;

import dev.doublelock.queue.QueueStore;

/** Makes the delivery engine for a relay once its queue is open. */
@FunctionalInterface
public interface DeliveryEngineFactory {
    DeliveryEngine create(QueueStore store, RelayOptions options);
}
