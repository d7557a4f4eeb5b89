package dev.doublelock.cli;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.io.SqliteFile;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.relay.RelayOptions;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which queue a {@code queue} command works on: {@code --queue URL}; else the config file's {@code queue}; else
 * {@code queue.db} in the data directory ({@code --data}, the config's {@code dataDir}, {@code DOUBLELOCK_DATA},
 * /var/lib/doublelock, ./doublelock-data: see {@link DataLocation}). These commands never create a queue: an
 * SQLite file that is not there is {@link NothingThereException} (exit 3), with nothing created.
 */
final class QueueTarget {
    @Option(names = "--config", paramLabel = "FILE", description = "relay config file; its queue is used")
    Path config;

    @Option(names = "--queue", paramLabel = "URL", description = "queue location: jdbc:sqlite:FILE, a file path, "
            + "or jdbc:postgresql://HOST:PORT/DB (overrides --config and --data)")
    String queue;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory the relay uses (its queue.db); wins "
            + "over the config's dataDir (default: $" + DataLocation.ENV + ", else /var/lib/doublelock when writable, "
            + "else ./doublelock-data)")
    Path data;

    /** The queue's location as given or derived (a JDBC URL or a file path). */
    String location() {
        if (queue != null && !queue.isBlank()) return queue.strip();
        return options().queueLocation();
    }

    /** The relay's name (the config's hostName), e.g. for the DSN of {@code queue bounce}. */
    String hostName() {
        return options().hostName();
    }

    RelayOptions options() {
        Path shared = DataLocation.of(data).dir();
        var options = config == null ? RelayConfig.defaults(shared) : RelayConfig.read(config, shared);
        return data != null ? options.withDataDir(shared) : options;
    }

    /** Opens the queue, refusing to create one where none is. */
    QueueStore open() {
        String location = location();
        if (!location.startsWith("jdbc:") || location.startsWith("jdbc:sqlite:")) {
            Path file = SqliteFile.fileOf(location).toAbsolutePath();
            if (!Files.exists(file)) throw DataLocation.nothingAt(file, "relay");
        }
        return QueueStores.open(location);
    }
}
