package dev.doublelock.tls.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 3: a lab and another process that needs the CA, started at once on one data directory, end up with
 * one CA; what a reader exports verifies what the lab serves.
 */
class LabPkiLockTest {
    @Test
    void makersStartedAtOnceShareOneCaAndAReaderWaitsForIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pki");
        int makers = 3;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(makers + 1)) {
            List<Future<LabPki>> made = new ArrayList<>();
            for (int i = 0; i < makers; i++) {
                made.add(pool.submit(() -> {
                    go.await();
                    LabPki pki = LabPki.loadOrCreate(dir, "localhost");
                    pki.prepare(EnumSet.of(LabCertificate.GOOD));
                    return pki;
                }));
            }
            go.countDown();
            X509Certificate first = made.get(0).get(2, TimeUnit.MINUTES).caCertificate();
            for (Future<LabPki> f : made) {
                LabPki pki = f.get(2, TimeUnit.MINUTES);
                assertThat(pki.caCertificate()).as("one CA for every maker").isEqualTo(first);
                assertThat(pki.certificate(LabCertificate.GOOD).chain().get(0))
                        .isEqualTo(made.get(0).get().certificate(LabCertificate.GOOD).chain().get(0));
            }
            assertThat(Pem.readCertificates(dir.resolve("ca.pem")).get(0)).as("the stored CA").isEqualTo(first);
            LabPki.Stored stored = LabPki.readStored(dir, EnumSet.of(LabCertificate.GOOD)).orElseThrow();
            assertThat(stored.ca()).isEqualTo(first);
            List<X509Certificate> served = made.get(1).get().certificate(LabCertificate.GOOD).chain();
            served.get(1).verify(stored.ca().getPublicKey()); // intermediate signed by the exported CA
            served.get(0).verify(served.get(1).getPublicKey());
        }
    }

    @Test
    void aReaderStartedWhileTheMakerHoldsTheLockSeesAllOrWaits(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pki");
        EnumSet<LabCertificate> some = EnumSet.of(LabCertificate.GOOD, LabCertificate.EXPIRED, LabCertificate.WRONG_HOST);
        LabPki.loadOrCreate(dir, "localhost"); // the CA exists, the leaves not yet (a lab between the two steps)
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CountDownLatch makerStarted = new CountDownLatch(1);
            Future<?> maker = pool.submit(() -> {
                LabPki pki = LabPki.loadOrCreate(dir, "localhost");
                makerStarted.countDown();
                pki.prepare(some);
                return null;
            });
            makerStarted.await(1, TimeUnit.MINUTES);
            Thread.sleep(5); // the maker is inside prepare, holding the lock, with high probability
            LabPki.Stored stored = LabPki.readStored(dir, some).orElseThrow();
            maker.get(2, TimeUnit.MINUTES);
            // either all three (it waited) or none (it came first), never a half-made set
            assertThat(stored.missing().size()).isIn(0, some.size());
        }
        assertThat(Files.exists(dir.resolve(LabPki.LOCK_FILE))).isTrue();
    }

    @Test
    void readingWhereNoLabHasBeenCreatesNothing(@TempDir Path tmp) throws Exception {
        assertThat(LabPki.readStored(tmp.resolve("none"), EnumSet.of(LabCertificate.GOOD))).isEmpty();
        assertThat(tmp.resolve("none")).doesNotExist();
        Files.createDirectories(tmp.resolve("empty"));
        assertThat(LabPki.readStored(tmp.resolve("empty"), EnumSet.of(LabCertificate.GOOD))).isEmpty();
        try (var files = Files.list(tmp.resolve("empty"))) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
