package dev.doublelock.tls.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PKI survives restarts, follows host-name changes, and renews what is about to lapse. */
class LabPkiPersistenceTest {
    private static final Instant T = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    private LabPki load(String host, Instant now) {
        return LabPki.loadOrCreate(dir, host, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String serial(LabPki pki, LabCertificate which) {
        return pki.certificate(which).leaf().getSerialNumber().toString(16);
    }

    @Test
    void loadingTwiceGivesTheSameCaAndLeavesAndAnotherHostGivesNewLeavesUnderTheSameCa() throws Exception {
        LabPki first = load("localhost", T);
        String good = serial(first, LabCertificate.GOOD);
        String wrongHost = serial(first, LabCertificate.WRONG_HOST);
        String shame = serial(first, LabCertificate.SHAME);
        String untrustedRoot = first.untrustedRootCertificate().getSerialNumber().toString(16);

        LabPki second = load("localhost", T.plus(Duration.ofDays(1)));
        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.intermediateCertificate()).isEqualTo(first.intermediateCertificate());
        assertThat(serial(second, LabCertificate.GOOD)).isEqualTo(good);
        assertThat(second.certificate(LabCertificate.GOOD).privateKey().getEncoded())
                .isEqualTo(first.certificate(LabCertificate.GOOD).privateKey().getEncoded());
        assertThat(second.untrustedRootCertificate().getSerialNumber().toString(16)).isEqualTo(untrustedRoot);

        LabPki moved = load("MX.Example.Test.", T.plus(Duration.ofDays(2)));
        assertThat(moved.hostName()).isEqualTo("mx.example.test");
        assertThat(moved.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(moved.intermediateCertificate()).isEqualTo(first.intermediateCertificate());
        assertThat(serial(moved, LabCertificate.GOOD)).isNotEqualTo(good);
        assertThat(CertificateFacts.sans(moved.certificate(LabCertificate.GOOD).leaf())).containsExactly("DNS:mx.example.test");
        assertThat(serial(moved, LabCertificate.WRONG_HOST)).as("does not name the host").isEqualTo(wrongHost);
        assertThat(serial(moved, LabCertificate.SHAME)).isEqualTo(shame);
        assertThat(Pem.readCertificates(dir.resolve("good.chain.pem"))).isEqualTo(moved.certificate(LabCertificate.GOOD).chain());
    }

    @Test
    void leavesMeantToBeValidAreRenewedWithinThirtyDaysOfExpiryOthersAreKept() {
        LabPki first = load("localhost", T);
        String good = serial(first, LabCertificate.GOOD);
        String expired = serial(first, LabCertificate.EXPIRED);
        assertThat(serial(load("localhost", T.plus(Duration.ofDays(366))), LabCertificate.GOOD))
                .as("31 days before expiry it is kept").isEqualTo(good);
        LabPki aYearAndThreeDaysLater = load("localhost", T.plus(Duration.ofDays(368)));
        assertThat(serial(aYearAndThreeDaysLater, LabCertificate.GOOD)).isNotEqualTo(good);
        assertThat(aYearAndThreeDaysLater.certificate(LabCertificate.GOOD).leaf().getNotAfter().toInstant())
                .isEqualTo(T.plus(Duration.ofDays(368 + 397)));
        assertThat(serial(aYearAndThreeDaysLater, LabCertificate.EXPIRED)).isEqualTo(expired);
        assertThat(aYearAndThreeDaysLater.caCertificate()).isEqualTo(first.caCertificate());
    }

    @Test
    void keyFilesAreOwnerOnlyAndCertificatesAreReadable() throws Exception {
        LabPki pki = load("localhost", T);
        pki.certificate(LabCertificate.GOOD);
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(Pem.encode(pki.caCertificate()));
        for (String key : new String[] {"ca.key.pem", "intermediate.key.pem", "good.key.pem"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)))).as(key).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("good.chain.pem")))).isEqualTo("rw-r--r--");
    }

    @Test
    void aBrokenLeafFileIsMadeAnewButACaWithoutItsKeyIsAnError() throws Exception {
        LabPki pki = load("localhost", T);
        String good = serial(pki, LabCertificate.GOOD);
        Files.writeString(dir.resolve("good.chain.pem"), "garbage");
        assertThat(serial(load("localhost", T), LabCertificate.GOOD)).isNotEqualTo(good);

        Files.delete(dir.resolve("ca.key.pem"));
        assertThatThrownBy(() -> load("localhost", T)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ca.key.pem").hasMessageContaining("delete ca.pem");
    }

    @Test
    void aNewIntermediateMeansNewLeaves() throws Exception {
        LabPki pki = load("localhost", T);
        String good = serial(pki, LabCertificate.GOOD);
        Files.delete(dir.resolve("intermediate.key.pem"));
        LabPki reloaded = load("localhost", T);
        assertThat(reloaded.intermediateCertificate()).isNotEqualTo(pki.intermediateCertificate());
        assertThat(serial(reloaded, LabCertificate.GOOD)).isNotEqualTo(good);
        assertThat(reloaded.certificate(LabCertificate.GOOD).chain()).containsExactly(
                reloaded.certificate(LabCertificate.GOOD).leaf(), reloaded.intermediateCertificate());
    }

    @Test
    void badHostNamesAreRefusedWithAHint() {
        assertThatThrownBy(() -> load("not a host", T)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mx.example.test");
        assertThat(load("192.0.2.7", T).certificate(LabCertificate.GOOD).leaf())
                .satisfies(leaf -> assertThat(CertificateFacts.sans(leaf)).containsExactly("IP:192.0.2.7"));
    }
}
