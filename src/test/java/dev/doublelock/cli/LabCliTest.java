package dev.doublelock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LabCliTest {
    static String capture(Runnable r) {
        try {
            return dev.doublelock.testing.StdOut.of(r::run);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // a Runnable throws no checked exception
        }
    }

    @Test
    void profilesJsonIsTheContractTable() throws Exception {
        String out = capture(() -> assertThat(Main.run("lab", "profiles", "--json", "--base-port", "3000")).isZero());
        JsonNode rows = new ObjectMapper().readTree(out);
        assertThat(rows).hasSize(LabProfile.values().length);
        assertThat(rows.get(0).get("name").asText()).isEqualTo("good");
        assertThat(rows.get(0).get("port").asInt()).isEqualTo(3000);
        assertThat(rows.get(0).get("expected_findings")).isEmpty();
        JsonNode shame = rows.get(LabProfile.SHAME.ordinal());
        assertThat(shame.get("name").asText()).isEqualTo("shame");
        assertThat(shame.get("port").asInt()).isEqualTo(3000 + LabProfile.SHAME.ordinal());
        assertThat(shame.get("expected_findings").toString()).contains("UNKNOWN_ISSUER", "WEAK_KEY", "NO_RECOMMENDED_PROTOCOL");
        assertThat(shame.get("defects").asText()).contains("1970-01-02");
        // the IPv6 plan's address and whether the SNI listener can serve it
        assertThat(shame.get("ipv6_interface_id").asText()).isEqualTo("::f");
        assertThat(shame.get("sni_selectable").asBoolean()).isTrue();
        assertThat(rows.get(LabProfile.NO_STARTTLS.ordinal()).get("sni_selectable").asBoolean()).isFalse();
    }

    @Test
    void portsNeverMoveNewProfilesOnlyGoAtTheEnd() throws Exception {
        // the order is the CLI contract: base port + position; issue 9 item 8 appended six profiles after shame
        String out = capture(() -> assertThat(Main.run("lab", "profiles", "--json", "--base-port", "2525")).isZero());
        JsonNode rows = new ObjectMapper().readTree(out);
        java.util.List<String> names = new java.util.ArrayList<>();
        rows.forEach(r -> names.add(r.get("name").asText()));
        assertThat(names).containsExactly("good", "self-signed", "untrusted-root", "missing-intermediate", "expired",
                "not-yet-valid", "wrong-host", "sha1-signature", "rsa-1024", "tls-1.0-only", "tls-1.1-only", "no-pfs",
                "no-starttls", "starttls-broken", "shame",
                "dhe-1024", "cbc-sha1", "cn-only", "wildcard-too-deep", "md5-signature", "tls-1.3-only",
                "starttls-injection", "starttls-response-injection",
                "dane-ee", "dane-ta", "dane-not-matching", "dane-broken-rrsig", "dane-servfail", "dane-insecure",
                "dane-no-tlsa", "dane-ta-wrong-name", "dane-expired-rrsig");
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).get("port").asInt()).as(names.get(i)).isEqualTo(2525 + i);
        }
        java.util.Map<String, String> expected = java.util.Map.of("dhe-1024", "[\"WEAK_KEY_EXCHANGE\"]",
                "cbc-sha1", "[\"CIPHER_NOT_RECOMMENDED\"]", "cn-only", "[\"BAD_CERT_DOMAIN\"]",
                "wildcard-too-deep", "[\"BAD_CERT_DOMAIN\"]", "md5-signature", "[\"WEAK_SIGNATURE_ALGORITHM\"]",
                "tls-1.3-only", "[]", "starttls-injection", "[\"STARTTLS_INJECTION\"]",
                "starttls-response-injection", "[]");
        java.util.Map<String, String> senderMust = new java.util.HashMap<>(java.util.Map.of(
                "good", "DELIVER", "expired", "REFUSE", "dane-ee", "DELIVER", "dane-ta", "DELIVER",
                "dane-not-matching", "DEFER", "dane-broken-rrsig", "DEFER", "dane-servfail", "DEFER",
                "dane-insecure", "DELIVER_WITHOUT_DANE", "dane-no-tlsa", "DELIVER_WITHOUT_DANE", "dane-ta-wrong-name", "DEFER"));
        senderMust.put("dane-expired-rrsig", "DEFER");
        rows.forEach(r -> {
            String must = senderMust.get(r.get("name").asText());
            if (must != null) assertThat(r.get("sender_must").asText()).as(r.get("name").asText()).isEqualTo(must);
            assertThat(r.get("dane").isNull()).as(r.get("name").asText()).isEqualTo(!r.get("name").asText().startsWith("dane-"));
            String want = expected.get(r.get("name").asText());
            if (want != null) assertThat(r.get("expected_findings").toString()).as(r.get("name").asText()).isEqualTo(want);
        });
    }

    @Test
    void certsExportsCaAndEveryProfileChainAndKey(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path out = tmp.resolve("out");
        // issue 10: lab certs only reads; the lab makes the PKI when it starts (as here)
        java.util.Set<dev.doublelock.tls.pki.LabCertificate> all = java.util.EnumSet.noneOf(dev.doublelock.tls.pki.LabCertificate.class);
        for (LabProfile p : LabProfile.values()) all.add(p.certificate());
        dev.doublelock.tls.pki.LabPki.loadOrCreate(data.resolve("pki"), "localhost").prepare(all);
        capture(() -> assertThat(Main.run("lab", "certs", "--data", data.toString(), "--out", out.toString())).isZero());
        assertThat(Pem.readCertificates(Files.readString(out.resolve("ca.pem")))).hasSize(1);
        for (LabProfile p : LabProfile.values()) {
            assertThat(out.resolve(p.profileName() + ".chain.pem")).exists();
            assertThat(Pem.readPrivateKey(Files.readString(out.resolve(p.profileName() + ".key.pem")))).isNotNull();
        }
        assertThat(Pem.readCertificates(Files.readString(out.resolve("good.chain.pem")))).hasSize(2);
        // a second export from the same data dir serves the same CA
        Path out2 = tmp.resolve("out2");
        capture(() -> Main.run("lab", "certs", "--data", data.toString(), "--out", out2.toString()));
        assertThat(Files.readString(out2.resolve("ca.pem"))).isEqualTo(Files.readString(out.resolve("ca.pem")));
    }

    @Test
    void zonePrintsOneMxAndAddressPerProfile(@TempDir Path tmp) {
        String data = tmp.resolve("data").toString();
        String out = capture(() -> assertThat(Main.run("lab", "zone", "--data", data, "--domain", "lab.example.org",
                "--ip", "192.0.2.1", "--ns-ip", "192.0.2.53")).isZero());
        assertThat(out).containsPattern("(?m)^shame\\.lab\\.example\\.org\\. +\\d+ IN MX +10 shame\\.lab\\.example\\.org\\.$")
                .containsPattern("(?m)^shame\\.lab\\.example\\.org\\. +\\d+ IN A +192\\.0\\.2\\.1$")
                .contains("tls-1-0-only.lab.example.org.");
        // wildcard-too-deep's MX is two labels below its certificate's *.deep.wildcard-too-deep.lab.example.org
        assertThat(out).containsPattern("IN MX +10 a\\.b\\.deep\\.wildcard-too-deep\\.lab\\.example\\.org\\.")
                .containsPattern("(?m)^a\\.b\\.deep\\.wildcard-too-deep\\.lab\\.example\\.org\\. +\\d+ IN A +192\\.0\\.2\\.1$");
        // the delegation for the parent: NS, glue, DS of the KSK (algorithm 13, SHA-256)
        assertThat(out).containsPattern("(?m)^lab\\.example\\.org\\. +3600 IN NS +ns\\.lab\\.example\\.org\\.$")
                .containsPattern("(?m)^ns\\.lab\\.example\\.org\\. +3600 IN A +192\\.0\\.2\\.53$")
                .containsPattern("(?m)^lab\\.example\\.org\\. +3600 IN DS +\\d+ 13 2 [0-9A-F]{64}$")
                .contains("stub-addr: 192.0.2.53@8053");
        // the keys are kept: a second run prints the same DS
        String again = capture(() -> Main.run("lab", "zone", "--data", data, "--zone", "lab.example.org."));
        java.util.function.Function<String, String> ds = text -> text.lines().filter(l -> l.contains(" IN DS ")).findFirst().orElseThrow();
        assertThat(ds.apply(again)).isEqualTo(ds.apply(out));
        assertThat(Main.run("lab", "zone", "--data", data, "--domain", "x.org", "--ip", "192.0.2.1,192.0.2.2")).isEqualTo(2);
        // TLS reports by mail and by HTTPS to tlsrpt.ZONE on the policy host (first --ip here, port 8443 by default)
        assertThat(out).containsPattern("(?m)^_smtp\\._tls\\.shame\\.lab\\.example\\.org\\. +\\d+ IN TXT +\"v=TLSRPTv1; "
                        + "rua=mailto:tlsrpt@good\\.lab\\.example\\.org,https://tlsrpt\\.lab\\.example\\.org:8443/tlsrpt\"$")
                .containsPattern("(?m)^tlsrpt\\.lab\\.example\\.org\\. +\\d+ IN A +192\\.0\\.2\\.1$");
        String published = capture(() -> assertThat(Main.run("lab", "zone", "--data", data, "--domain", "lab.example.org",
                "--ip", "192.0.2.1", "--mta-sts-ip", "192.0.2.44", "--mta-sts-port", "443")).isZero());
        assertThat(published).as("port 443: none in the URI")
                .containsPattern("(?m)^_smtp\\._tls\\.dane-ee\\.lab\\.example\\.org\\. +\\d+ IN TXT +\"v=TLSRPTv1; "
                        + "rua=mailto:tlsrpt@good\\.lab\\.example\\.org,https://tlsrpt\\.lab\\.example\\.org/tlsrpt\"$")
                .containsPattern("(?m)^tlsrpt\\.lab\\.example\\.org\\. +\\d+ IN A +192\\.0\\.2\\.44$");
        assertThat(Main.run("lab", "zone", "--data", data, "--mta-sts-port", "0")).isEqualTo(2);
    }

    @Test
    void resultsWithoutDataSaysHowToStart(@TempDir Path tmp) {
        // issue 10: exit 3 = nothing at the data location (was 2 before the exit codes were documented)
        assertThat(Main.run("lab", "results", "--data", tmp.resolve("none").toString())).isEqualTo(3);
    }
}
