package dev.doublelock.lab;

import dev.doublelock.cli.LabChild;
import dev.doublelock.testing.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Name;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code doublelock lab --ipv6-prefix fd00:d1::/64} really bound on its addresses of a locally routed ULA /64, with
 * exactly the host setup the README documents ({@code ip -6 route add local P/64 dev lo},
 * {@code net.ipv6.ip_nonlocal_bind=1}), in a network namespace of its own ({@code unshare -n}: nothing of the
 * machine's network changes). openssl, run in that namespace ({@code nsenter}), connects to port 25 of several profiles'
 * addresses and gets each profile's certificate, verified against the one lab CA for the profile's own name; the lab's
 * DNS answers each profile's AAAA. The IPv4 side is the SNI listener ({@code --sni-bind 127.0.0.1:25}, the VPS's one
 * IPv4): A records only for the profiles SNI can select. Skipped where the user may not make network namespaces.
 */
class Ipv6LabTest {
    static final String PREFIX = "fd00:d1::/64";
    static final Name ZONE = Name.fromConstantString("lab.test.");
    static final Ipv6Plan PLAN = Ipv6Plan.parse(PREFIX);

    @TempDir
    static Path data;
    static LabChild lab;

    @BeforeAll
    static void startLabInItsOwnNetworkNamespace() throws Exception {
        assumeTrue(Command.exists("unshare") && Command.exists("nsenter") && Command.exists("ip") && Command.exists("openssl"),
                "needs unshare, nsenter (util-linux), ip (iproute2) and openssl");
        String setup = "ip link set lo up && ip -6 route add local " + PREFIX + " dev lo && sysctl -qw net.ipv6.ip_nonlocal_bind=1";
        Command.Result probe = Command.run(List.of("unshare", "-n", "sh", "-c", setup), null, 20);
        assumeTrue(probe.exitCode() == 0, "cannot make a network namespace with a local /64 route here (needs root or "
                + "CAP_SYS_ADMIN+CAP_NET_ADMIN): " + probe.output().strip());
        // unshare and sh exec: the lab's pid names the namespace
        lab = LabChild.start(List.of("unshare", "-n", "sh", "-c", setup + " && exec \"$0\" \"$@\""), data, List.of(),
                List.of("--zone", ZONE.toString(), "--ipv6-prefix", PREFIX, "--sni-bind", "127.0.0.1:25"));
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    static Command.Result inNamespace(List<String> command, String stdin) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=/proc/" + lab.pid() + "/ns/net"));
        cmd.addAll(command);
        return Command.run(cmd, stdin, 30);
    }

    @Test
    void everyProfileListensOnPort25OfItsOwnAddress() {
        assertThat(lab.ports()).hasSize(LabProfile.values().length).allSatisfy((name, port) -> assertThat(port).isEqualTo(25));
        assertThat(lab.output()).noneMatch(l -> l.contains("has no address record"))
                .contains("lab: shame listens on [fd00:d1:0:0:0:0:0:f]:25 as shame.lab.test");
    }

    @ParameterizedTest
    @EnumSource(value = LabProfile.class, names = {"GOOD", "SELF_SIGNED", "EXPIRED", "WRONG_HOST", "WILDCARD_TOO_DEEP", "TLS_1_3_ONLY"})
    void opensslOnTheProfilesAddressGetsItsCertificateForItsOwnName(LabProfile p) throws Exception {
        String host = Ipv6Plan.hostName(p, ZONE);
        String address = PLAN.address(p).getHostAddress();
        Command.Result r = inNamespace(List.of("openssl", "s_client", "-starttls", "smtp", "-connect", "[" + address + "]:25",
                "-CAfile", data.resolve("pki").resolve("ca.pem").toString(), "-verify_hostname", p.referenceName(host),
                "-servername", host), "QUIT\r\n");
        Matcher verify = Pattern.compile("Verify return code: (\\d+)").matcher(r.output());
        assertThat(verify.find()).as(r.output()).isTrue();
        assertThat(Integer.parseInt(verify.group(1))).as(r.output()).isEqualTo(OpensslAndSwaksInteropTest.expectedVerifyCode(p));
        if (p == LabProfile.GOOD) assertThat(r.output()).contains("subject=CN = good.lab.test").contains("Verified peername: good.lab.test");
        if (p == LabProfile.TLS_1_3_ONLY) assertThat(r.output()).contains("TLSv1.3");
    }

    @Test
    void theSniListenerOnTheIpv4ServesTheProfileANameSelects() throws Exception {
        assertThat(lab.sniPort()).contains(25);
        for (LabProfile p : List.of(LabProfile.GOOD, LabProfile.EXPIRED)) {
            String mx = LabZone.mxHost(p, ZONE).toString(true);
            Command.Result r = inNamespace(List.of("openssl", "s_client", "-starttls", "smtp", "-connect", "127.0.0.1:25",
                    "-CAfile", data.resolve("pki").resolve("ca.pem").toString(), "-verify_hostname", mx, "-servername", mx),
                    "QUIT\r\n");
            assertThat(r.output()).as(r.output()).contains("subject=CN = " + mx)
                    .contains("Verify return code: " + OpensslAndSwaksInteropTest.expectedVerifyCode(p) + " ");
        }
    }

    @Test
    void theLabsDnsAnswersEachProfilesAaaa() throws Exception {
        assumeTrue(Command.exists("dig"), "needs dig (bind9-dnsutils)");
        int dns = lab.dnsPort().orElseThrow();
        for (LabProfile p : List.of(LabProfile.GOOD, LabProfile.SHAME, LabProfile.WILDCARD_TOO_DEEP)) {
            Name mx = LabZone.mxHost(p, ZONE);
            Command.Result r = inNamespace(List.of("dig", "@127.0.0.1", "-p", "" + dns, "+short", "+time=5", "+tries=1",
                    "AAAA", mx.toString()), null);
            assertThat(r.output().strip()).as(p.profileName()).isEqualTo(PLAN.address(p).getHostAddress()
                    .replaceAll("(:0)+:", "::").replace(":::", "::"));
        }
        // the IPv4: the SNI listener, for the profiles it can select only
        for (LabProfile p : List.of(LabProfile.GOOD, LabProfile.SHAME, LabProfile.NO_STARTTLS)) {
            Command.Result r = inNamespace(List.of("dig", "@127.0.0.1", "-p", "" + dns, "+short", "+time=5", "+tries=1",
                    "A", LabZone.mxHost(p, ZONE).toString()), null);
            assertThat(r.output().strip()).as(p.profileName()).isEqualTo(SniProfiles.selectable(p) ? "127.0.0.1" : "");
        }
    }
}
