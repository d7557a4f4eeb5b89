package dev.doublelock.tls.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One lab PKI for "localhost" per test JVM, made at a fixed {@link #CREATED} so validity dates
 * can be asserted exactly. RSA 3072 key generation is the slow part; sharing it keeps tests quick.
 */
final class SharedLabPki {
    static final Instant CREATED = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static LabPki pki;

    private SharedLabPki() {
    }

    static synchronized LabPki get() {
        if (pki == null) {
            try {
                Path dir = Files.createTempDirectory("doublelock-lab-pki-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                pki = LabPki.loadOrCreate(dir, "localhost", Clock.fixed(CREATED, ZoneOffset.UTC));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pki;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort on exit
        }
    }
}
