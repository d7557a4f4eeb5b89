package dev.doublelock.cli;

import dev.doublelock.lab.Lab;
import dev.doublelock.lab.LabConfigFile;
import dev.doublelock.lab.LabDnsOptions;
import dev.doublelock.lab.MtaStsOptions;
import dev.doublelock.lab.MtaStsScenario;
import dev.doublelock.lab.LabOptions;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.LegacyTls;
import dev.doublelock.lab.ReportMailOptions;
import dev.doublelock.lab.ReportMailer;
import dev.doublelock.web.LabWebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code doublelock lab}: starts every profile's endpoint and runs until stopped. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Starts SMTP endpoints that are broken on purpose, one defect each (plus 'shame', broken in "
                + "every way), on consecutive ports from the base port, prints PORT PROFILE DEFECTS and records "
                + "what every sending system does. Runs until stopped (Ctrl-C).",
                "Also serves the lab's DNS zone (--zone, DNSSEC-signed, UDP and TCP on --dns-port): every profile is a "
                + "mail domain <profile>.ZONE with its MX and address records.",
                "With the DNS, the MTA-STS scenarios too (RFC 8461): <scenario>.ZONE with its own MX endpoint, _mta-sts "
                + "record and policy, served over HTTPS by the policy host on --mta-sts-port.",
                "A sending system that delivers to any profile but 'good' has failed that test."},
        subcommands = {LabProfilesCommand.class, LabCertsCommand.class, LabResultsCommand.class, LabZoneCommand.class})
public final class LabCommand implements Callable<Integer> {
    @Option(names = "--bind", description = "Address every profile listens on (default: ${DEFAULT-VALUE}). "
            + "Publishing on the internet: see the README.", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--base-port", description = "First port; profiles take consecutive ports (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + LabOptions.DEFAULT_BASE_PORT)
    int basePort;

    @Option(names = "--web-port", description = "Port of the results page on the bind address; -1 disables it "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "8025")
    int webPort;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory: lab PKI and records (default: $"
            + DataLocation.ENV + ", else /var/lib/doublelock when writable, else ./doublelock-data).")
    Path data;

    @Option(names = "--host", description = "Host name the certificates are issued for (default: ${DEFAULT-VALUE}).",
            defaultValue = "localhost")
    String host;

    @Option(names = "--db", description = "JDBC URL for the records (default: SQLite file DATA/lab.db).")
    String db;

    @Option(names = "--keep-bodies", defaultValue = "0", paramLabel = "BYTES",
            description = "Keep up to BYTES of each session's first message in the records (default: ${DEFAULT-VALUE}: keep none).")
    int keepBodies;

    @Option(names = "--report-mail-from", paramLabel = "ADDRESS",
            description = "Turns on report mail: after a sender delivers to a defect profile, mail its envelope sender "
                    + "(at most once a day per domain, never to <>) from this address. Off by default.")
    String reportFrom;

    @Option(names = "--report-relay", paramLabel = "HOST:PORT",
            description = "Send report mail through this smarthost instead of the sender domain's MX hosts.")
    String reportRelay;

    @Option(names = "--zone", paramLabel = "NAME", defaultValue = dev.doublelock.lab.LabZone.DEFAULT_ZONE,
            description = "The lab's DNS zone, served signed (DNSSEC) by the lab: <profile>.NAME is each profile's "
                    + "mail domain (default: ${DEFAULT-VALUE}). Delegation and trust anchor: 'doublelock lab zone'.")
    String zone;

    @Option(names = "--dns-port", paramLabel = "PORT",
            description = "UDP and TCP port of the lab's DNS; -1 turns it off (default: " + LabDnsOptions.DEFAULT_PORT
                    + " on a loopback --bind, 53 otherwise; any free port with --base-port 0).")
    Integer dnsPort;

    @Option(names = "--dns-bind", paramLabel = "ADDRESS",
            description = "Address of the lab's DNS (default: the --bind address); its glue record in the zone.")
    String dnsBind;

    @Option(names = "--ipv6-prefix", paramLabel = "P/64",
            description = "Publish every profile on its own address of this /64: profile number N (see 'lab profiles', "
                    + "from 0) on [P::N+1]:--ipv6-port, its certificate naming <profile>.ZONE. The host must accept the "
                    + "/64 (ip -6 route add local P/64 dev lo; sysctl net.ipv6.ip_nonlocal_bind=1). --config may still "
                    + "move single profiles.")
    String ipv6Prefix;

    @Option(names = "--ipv6-port", paramLabel = "PORT", defaultValue = "" + dev.doublelock.lab.Ipv6Plan.DEFAULT_PORT,
            description = "The port of every profile with --ipv6-prefix (default: ${DEFAULT-VALUE}: an MX has no port).")
    int ipv6Port;

    @Option(names = "--sni-bind", paramLabel = "ADDRESS:PORT",
            description = "One more listener, e.g. 203.0.113.10:25 on a single IPv4 address: good for a sender that sends "
                    + "no server name (SNI), and each profile whose SMTP is good's until TLS (not no-starttls, "
                    + "starttls-broken, the injection ones) for a sender that names <profile>.ZONE. The zone points those "
                    + "names there where their own endpoints have no address of that family. Port 0: any free one.")
    String sniBind;

    @Option(names = "--mta-sts-port", paramLabel = "PORT",
            description = "HTTPS port of the MTA-STS policy host (mta-sts.<scenario>.ZONE for every MTA-STS scenario); "
                    + "-1 turns the scenarios off; they need the lab's DNS (default: " + MtaStsOptions.DEFAULT_POLICY_PORT
                    + " on a loopback --bind, 443 otherwise, as senders fetch only from 443; any free port with --base-port 0).")
    Integer mtaStsPort;

    @Option(names = "--mta-sts-bind", paramLabel = "ADDRESS",
            description = "Address of the MTA-STS policy host (default: the --bind address); mta-sts.<scenario>.ZONE's "
                    + "address record. The scenarios' MX endpoints listen on --bind, ports base + "
                    + MtaStsScenario.PORT_OFFSET + " and up.")
    String mtaStsBind;

    @Option(names = "--config", description = "Properties file binding profiles to address:port and host name "
            + "(profile.<name>.bind=ADDR:PORT, profile.<name>.host=NAME) and MTA-STS scenario MXs to address:port "
            + "(mta-sts.<scenario>.bind=ADDR:PORT).")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path data = DataLocation.of(this.data).dir();
        LabOptions options = LabOptions.defaults().withBindAddress(InetAddress.getByName(bind)).withBasePort(basePort)
                .withHostName(host).withDataDir(data).withJdbcUrl(db).withKeepBodyBytes(keepBodies);
        if (ipv6Prefix != null) {
            dev.doublelock.lab.Ipv6Plan plan;
            try {
                plan = dev.doublelock.lab.Ipv6Plan.parse(ipv6Prefix);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            options = options.withOverrides(plan.endpoints(dev.doublelock.dns.server.ZoneBuilder.zoneName(zone), ipv6Port));
        }
        if (config != null) {
            java.util.Map<LabProfile, dev.doublelock.lab.LabEndpoint> merged = new java.util.EnumMap<>(LabProfile.class);
            merged.putAll(options.overrides());
            merged.putAll(LabConfigFile.read(config, options));
            options = options.withOverrides(merged);
        }
        InetAddress dnsAddress = InetAddress.getByName(dnsBind == null ? bind : dnsBind);
        int port = dnsPort != null ? dnsPort
                : basePort == 0 ? 0 : dnsAddress.isLoopbackAddress() ? LabDnsOptions.DEFAULT_PORT : 53;
        if (port < -1 || port > 65535) {
            System.err.println("--dns-port must be a port (0 = any free one) or -1 (off); got " + port);
            return 2;
        }
        if (port >= 0) {
            options = options.withDns(java.util.Optional.of(LabDnsOptions.of(zone, new java.net.InetSocketAddress(dnsAddress, port))));
        }
        java.util.Optional<java.net.InetSocketAddress> sni = java.util.Optional.empty();
        if (sniBind != null) {
            int colon = sniBind.lastIndexOf(':');
            try {
                if (colon < 0) throw new NumberFormatException();
                sni = java.util.Optional.of(new java.net.InetSocketAddress(
                        InetAddress.getByName(sniBind.substring(0, colon).replace("[", "").replace("]", "")),
                        Integer.parseInt(sniBind.substring(colon + 1))));
            } catch (java.net.UnknownHostException | IllegalArgumentException e) {
                System.err.println("--sni-bind must be ADDRESS:PORT, e.g. 203.0.113.10:25 or [2001:db8::1]:25; got " + sniBind);
                return 2;
            }
        }
        InetAddress stsAddress = InetAddress.getByName(mtaStsBind == null ? bind : mtaStsBind);
        int stsPort = mtaStsPort != null ? mtaStsPort
                : basePort == 0 ? 0 : stsAddress.isLoopbackAddress() ? MtaStsOptions.DEFAULT_POLICY_PORT : 443;
        if (stsPort < -1 || stsPort > 65535) {
            System.err.println("--mta-sts-port must be a port (0 = any free one) or -1 (off); got " + stsPort);
            return 2;
        }
        if (stsPort >= 0 && options.dns().isPresent()) {
            options = options.withMtaSts(java.util.Optional.of(new MtaStsOptions(
                    new java.net.InetSocketAddress(stsAddress, stsPort), options.bindAddress(),
                    basePort == 0 ? 0 : basePort + MtaStsScenario.PORT_OFFSET,
                    config == null ? java.util.Map.of() : dev.doublelock.lab.LabConfigFile.readMtaStsBinds(config))));
        } else if (stsPort >= 0) {
            System.err.println("lab: no MTA-STS scenarios: they need the lab's DNS (--dns-port)");
        }
        System.err.println(LegacyTls.relaxForThisProcess());
        System.err.println("lab: data " + data);
        System.err.println("lab: creating or loading the lab PKI under " + data.resolve("pki")
                + " (the first start generates RSA-3072 keys and takes a few seconds)");
        Lab lab = Lab.start(options, sni);
        if (reportFrom != null) {
            java.util.Optional<java.net.InetSocketAddress> relay = java.util.Optional.ofNullable(reportRelay).map(r -> {
                int colon = r.lastIndexOf(':');
                return new java.net.InetSocketAddress(r.substring(0, colon), Integer.parseInt(r.substring(colon + 1)));
            });
            ReportMailer mailer = new ReportMailer(new ReportMailOptions(true, reportFrom, relay, java.time.Duration.ofHours(24)),
                    java.util.Optional.of(dev.doublelock.dns.DnsjavaResolver.builder().build()),
                    dev.doublelock.smtp.client.Dialer.direct(), java.time.Clock.systemUTC(), host);
            lab.addListener(mailer::consider);
            System.err.println("lab: report mail on, from " + reportFrom + (relay.isPresent() ? " via " + reportRelay : " via MX"));
        }
        LabWebServer web = webPort < 0 ? null : LabWebServer.start(lab, new java.net.InetSocketAddress(options.bindAddress(), webPort));
        for (Lab.Running r : lab.endpoints()) {
            if (!r.address().getAddress().equals(options.bindAddress()) || !r.hostName().equals(host)) {
                String a = r.address().getAddress().getHostAddress();
                System.err.println("lab: " + r.profile().profileName() + " listens on "
                        + (a.contains(":") ? "[" + a + "]" : a) + ":" + r.port() + " as " + r.hostName());
            }
        }
        out.printf("%-6s %-21s %s%n", "PORT", "PROFILE", "DEFECTS");
        for (Lab.Running r : lab.endpoints()) {
            out.printf("%-6d %-21s %s%n", r.port(), r.profile().profileName(), r.profile().defects());
        }
        if (lab.sni().isPresent()) {
            out.printf("%-6d %-21s %s%n", lab.sni().get().getPort(), "sni", "on " + lab.sni().get().getAddress().getHostAddress()
                    + ": good without SNI; by SNI <profile>." + (lab.dns().isPresent() ? lab.dns().get().origin() : zone)
                    + " for " + dev.doublelock.lab.SniProfiles.selectable().size() + " profiles (see 'lab profiles')");
        }
        if (lab.dns().isPresent()) {
            Lab.RunningDns dns = lab.dns().get();
            out.printf("%-6d %-21s %s%n", dns.address().getPort(), "dns", "zone " + dns.origin() + " on "
                    + dns.address().getAddress().getHostAddress() + " (UDP+TCP), DNSSEC-signed, KSK tag " + dns.ds().getFootprint()
                    + "; <profile>." + dns.origin() + " MX per profile");
            for (String w : dns.warnings()) System.err.println("lab: DNS: " + w);
        }
        for (Lab.RunningScenario r : lab.mtaStsEndpoints()) {
            out.printf("%-6d %-21s %s%n", r.port(), r.scenario().scenarioName(), "MTA-STS: " + r.scenario().description()
                    + "; a sender " + r.scenario().expectation().words());
        }
        lab.mtaStsPolicyHost().ifPresent(h -> out.printf("%-6d %-21s %s%n", h.address().getPort(), "mta-sts",
                "MTA-STS policy host (HTTPS) on " + h.address().getAddress().getHostAddress()
                        + " for mta-sts.<scenario>." + lab.dns().orElseThrow().origin()));
        out.println();
        if (lab.dns().isPresent()) {
            out.println("lab DNS: delegation (NS, glue, DS) and a resolver's trust anchor: 'doublelock lab zone --data "
                    + data + " --zone " + lab.dns().get().origin() + "'; try 'dig @" + lab.dns().get().address().getAddress().getHostAddress()
                    + " -p " + lab.dns().get().address().getPort() + " +dnssec MX good." + lab.dns().get().origin() + "'.");
        }
        out.println("lab CA: export it with 'doublelock lab certs --data " + data + " --out DIR' and trust it to test "
                + "strict senders; check an endpoint with 'doublelock check localhost:" + lab.endpoint(LabProfile.GOOD).port()
                + " --trust DIR/ca.pem'.");
        if (web != null) out.println("results: " + web.url() + "  (also: doublelock lab results --data " + data + ")");
        out.println("recording sessions; stop with Ctrl-C");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (web != null) web.close();
            lab.close();
            stopped.countDown();
        }, "lab-shutdown"));
        stopped.await();
        return 0;
    }
}
