package dev.doublelock.cli;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Which queue a {@code queue} command works on: {@code --queue URL}, else the one in {@code --config}, else the default. */
final class QueueTarget {
    @Option(names = "--config", paramLabel = "FILE", description = "relay config file; its queue is used")
    Path config;

    @Option(names = "--queue", paramLabel = "URL", description = "queue location: jdbc:sqlite:FILE, a file path, "
            + "or jdbc:postgresql://HOST:PORT/DB (overrides --config)")
    String queue;

    QueueStore open() {
        if (queue != null && !queue.isBlank()) {
            return QueueStores.open(queue);
        }
        return QueueStores.open((config == null ? RelayConfig.defaults() : RelayConfig.read(config)).queueLocation());
    }
}
