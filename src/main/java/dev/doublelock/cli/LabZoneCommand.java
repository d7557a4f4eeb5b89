package dev.doublelock.cli;

import dev.doublelock.dns.server.ZoneKeys;
import dev.doublelock.dns.server.ZoneBuilder;
import dev.doublelock.dns.server.ZoneContent;
import dev.doublelock.lab.Ipv6Plan;
import dev.doublelock.lab.LabDnsOptions;
import dev.doublelock.lab.MtaStsScenario;
import dev.doublelock.lab.MtaStsZone;
import dev.doublelock.lab.LabProfile;
import dev.doublelock.lab.LabZone;
import dev.doublelock.lab.SniProfiles;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code doublelock lab zone}: what the parent zone publishes to delegate the lab's signed zone (NS, glue, DS),
 * the trust anchor a validating resolver needs when it cannot reach the parent, and the zone's records.
 */
@Command(name = "zone", mixinStandardHelpOptions = true,
        description = {"Prints what to publish so that the lab's own DNS zone (served DNSSEC-signed by 'doublelock lab', "
                + "see --zone and --dns-port there) is reachable and validates: (1) the delegation for the parent zone "
                + "- NS, glue A/AAAA and the DS of the zone's key-signing key (SHA-256); (2) for loopback tests, the "
                + "trust anchor and stub zone a validating resolver (unbound) needs; (3) the records the lab serves: one "
                + "mail domain <profile>.ZONE per profile with its MX and A/AAAA record.",
                "The zone's keys are made on first use under DATA/dns/ZONE/ and kept: the lab signs with the same keys "
                        + "after a restart, so the DS stays valid. Run it with the --data and --zone the lab uses.",
                "Mail to anything@<profile>.ZONE reaches that profile's endpoint; published, each endpoint listens on "
                        + "port 25 of its own IP (see 'profile.<name>.bind' in a --config file): give one --ip per "
                        + "profile in profile order (see 'lab profiles'), or one --ip for a template."})
final class LabZoneCommand implements Callable<Integer> {
    @Option(names = {"--zone", "--domain"}, paramLabel = "NAME", defaultValue = LabZone.DEFAULT_ZONE,
            description = "The lab's zone, e.g. lab.example.org (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--data", paramLabel = "DIR", description = "The lab's data directory, where the zone keys are "
            + "(default: as for 'doublelock lab').")
    Path data;

    @Option(names = "--ns-ip", split = ",", paramLabel = "IP", defaultValue = "127.0.0.1",
            description = "Public address(es) of the lab's DNS endpoint (--dns-bind of the lab): the glue records "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> nsIps;

    @Option(names = "--dns-port", paramLabel = "PORT", defaultValue = "" + LabDnsOptions.DEFAULT_PORT,
            description = "The lab's DNS port, for the resolver's stub zone (default: ${DEFAULT-VALUE}; 53 when published).")
    int dnsPort;

    @Option(names = "--ip", split = ",", paramLabel = "IP",
            description = "IP address(es) of the profile endpoints, in profile order; one for all (default: 127.0.0.1, "
                    + "none with --ipv6-prefix). With --ipv6-prefix one --ip is the SNI listener's (lab --sni-bind): "
                    + "the profiles SNI can select get it. The lab itself serves each endpoint's bind address.")
    List<String> ips;

    @Option(names = "--ipv6-prefix", paramLabel = "P/64",
            description = "Give profile number N (see 'lab profiles', from 0) the address P::N+1 of this /64 (AAAA records), "
                    + "as 'doublelock lab --ipv6-prefix' binds them: one host with one /64 publishes every profile.")
    String ipv6Prefix;

    @Option(names = "--mta-sts-ip", split = ",", paramLabel = "IP",
            description = "IP address(es) of the MTA-STS scenarios: one for the policy host and every scenario MX, or the "
                    + "policy host's followed by one per scenario in scenario order (default: the first --ip).")
    List<String> mtaStsIps;

    @Option(names = "--mta-sts-port", paramLabel = "PORT", defaultValue = "" + dev.doublelock.lab.MtaStsOptions.DEFAULT_POLICY_PORT,
            description = "The policy host's port (lab --mta-sts-port), also the TLS-RPT records' https URI's: "
                    + "https://tlsrpt.ZONE:PORT/tlsrpt (default: ${DEFAULT-VALUE}; 443 when published, then no port in the URI).")
    int mtaStsPort;

    @Option(names = "--ttl", defaultValue = "3600", description = "TTL of the delegation records (default: ${DEFAULT-VALUE}).")
    int ttl;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Name origin;
        try {
            origin = ZoneBuilder.zoneName(zone);
        } catch (IllegalArgumentException e) {
            System.err.println("--zone: " + e.getMessage());
            return 2;
        }
        java.util.Optional<Ipv6Plan> plan;
        try {
            plan = java.util.Optional.ofNullable(ipv6Prefix).map(Ipv6Plan::parse);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (ips == null) ips = plan.isPresent() ? List.of() : List.of("127.0.0.1");
        LabProfile[] profiles = LabProfile.values();
        if (ips.size() > 1 && ips.size() != profiles.length) {
            System.err.println("give one --ip, or exactly " + profiles.length + " (one per profile, in the order of "
                    + "'doublelock lab profiles'); got " + ips.size());
            return 2;
        }
        List<InetAddress> nameServer = new ArrayList<>();
        for (String ip : nsIps) nameServer.add(InetAddress.getByName(ip));
        Map<LabProfile, InetAddress> addresses = new EnumMap<>(LabProfile.class);
        // with the /64, one --ip is the SNI listener's (lab --sni-bind): only the profiles SNI can select get it
        boolean sniIp = plan.isPresent() && ips.size() == 1;
        for (int i = 0; i < profiles.length && !ips.isEmpty() && !sniIp; i++) {
            addresses.put(profiles[i], InetAddress.getByName(ips.size() == 1 ? ips.get(0) : ips.get(i)));
        }
        MtaStsScenario[] scenarios = MtaStsScenario.values();
        // with only the /64 and no --mta-sts-ip, the scenarios have no address to publish: their records are left out
        List<String> stsIps = mtaStsIps != null ? mtaStsIps : ips.isEmpty() ? List.of() : List.of(ips.get(0));
        if (!stsIps.isEmpty() && stsIps.size() != 1 && stsIps.size() != scenarios.length + 1) {
            System.err.println("give one --mta-sts-ip, or exactly " + (scenarios.length + 1) + " (the policy host's, then "
                    + "one per MTA-STS scenario); got " + stsIps.size());
            return 2;
        }
        Map<MtaStsScenario, InetAddress> stsAddresses = new EnumMap<>(MtaStsScenario.class);
        for (int i = 0; i < scenarios.length && !stsIps.isEmpty(); i++) {
            stsAddresses.put(scenarios[i], InetAddress.getByName(stsIps.size() == 1 ? stsIps.get(0) : stsIps.get(i + 1)));
        }
        InetAddress policyHost = stsIps.isEmpty() ? null : InetAddress.getByName(stsIps.get(0));
        Path dataDir = DataLocation.of(data).dir();
        Path keyDir = LabZone.keyDirectory(dataDir, origin);
        ZoneKeys keys = ZoneKeys.loadOrCreate(keyDir);
        DSRecord ds = keys.ds(origin, ttl);
        Name ns = LabZone.nameServer(origin);

        out.println("; doublelock lab zone " + origin + " - served by the lab itself, DNSSEC-signed (ECDSA P-256, algorithm 13)");
        out.println("; keys: " + keyDir + " (kept; the DS below names the key-signing key, tag " + ds.getFootprint() + ")");
        out.println(";");
        out.println("; 1. Delegation: publish in the parent zone" + (origin.labels() > 2 ? " (" + new Name(origin, 1) + ")" : ""));
        out.printf("%-40s %d IN NS   %s%n", origin, ttl, ns);
        for (InetAddress a : nameServer) {
            out.printf("%-40s %d IN %-4s %s%n", ns, ttl, a instanceof java.net.Inet6Address ? "AAAA" : "A", a.getHostAddress());
        }
        out.printf("%-40s %d IN DS   %s%n", origin, ttl, ds.rdataToString());
        out.println(";");
        out.println("; 2. For a validating resolver that cannot reach the parent (loopback tests): the trust anchor, and");
        out.println(";    where to ask. unbound.conf:");
        out.println("server:");
        out.println("    trust-anchor: \"" + origin + " DS " + ds.rdataToString() + "\"");
        String top = origin.getLabelString(origin.labels() - 2).toLowerCase(java.util.Locale.ROOT);
        if (java.util.Set.of("test", "invalid", "localhost", "onion", "local").contains(top)) {
            out.println("    local-zone: \"" + top + ".\" nodefault  # else unbound answers ." + top + " itself (RFC 6761)");
        }
        out.println("stub-zone:");
        out.println("    name: \"" + origin + "\"");
        for (InetAddress a : nameServer) out.println("    stub-addr: " + a.getHostAddress() + "@" + dnsPort);
        for (LabProfile p : profiles) {
            if (!LabZone.insecureChild(p)) continue;
            // a referral's glue carries no port: the unsigned child zone needs its own stub on a loopback port
            out.println("stub-zone:  # " + p.profileName() + ": an unsigned child zone, delegated without DS");
            out.println("    name: \"" + LabZone.domain(p, origin) + "\"");
            for (InetAddress a : nameServer) out.println("    stub-addr: " + a.getHostAddress() + "@" + dnsPort);
        }
        out.println(";");
        out.println("; 3. The records the lab serves (signed, with DNSKEY, NSEC and RRSIG records added), from --ip; the "
                + "running lab uses its endpoints' bind addresses");
        if (mtaStsPort <= 0 || mtaStsPort > 65535) {
            System.err.println("--mta-sts-port: not a port: " + mtaStsPort);
            return 2;
        }
        java.net.InetSocketAddress policyHostAt = policyHost == null ? null : new java.net.InetSocketAddress(policyHost, mtaStsPort);
        // with the policy host, every TLS-RPT record names its https endpoint too (tlsrpt.ZONE), as the running lab's
        ZoneBuilder builder = LabZone.builder(origin, nameServer, addresses,
                policyHostAt == null ? dev.doublelock.lab.TlsRptRua.mailOnly() : MtaStsZone.rua(policyHostAt));
        plan.ifPresent(p -> p.addAddresses(builder));
        if (sniIp) SniProfiles.addAddresses(builder, InetAddress.getByName(ips.get(0)), addresses);
        ZoneContent content = (policyHost == null ? builder : MtaStsZone.addTo(builder, origin, stsAddresses, policyHostAt)).build();
        out.println("; (the lab replaces the SOA serial by the signing time; it signs again, new serial, a week before "
                + "its 14-day signatures expire)");
        for (Record r : content.records()) {
            out.printf("%-40s %d IN %-4s %s%n", r.getName(), r.getTTL(), Type.string(r.getType()), r.rdataToString());
        }
        if (plan.isEmpty() && ips.size() == 1 && !addresses.get(profiles[0]).isLoopbackAddress()) {
            out.println("; one IP for all profiles: MX cannot carry a port, so only one profile can be reached on "
                    + "port 25 of that IP. Use one IP per profile to publish them all.");
        }
        for (LabProfile p : profiles) {
            out.printf("; %s: %s%n", LabZone.domain(p, origin), p.defects());
        }
        if (policyHost == null) {
            out.println("; the MTA-STS scenarios are left out: give --mta-sts-ip (the policy host's address, then one per "
                    + "scenario) to publish them");
        }
        for (MtaStsScenario sc : policyHost == null ? new MtaStsScenario[0] : scenarios) {
            out.printf("; %s: MTA-STS %s; a sender %s%n", sc.domain(origin), sc.description(), sc.expectation().words());
        }
        out.println("; the DANE scenarios' TLSA records (at _<port>._tcp.<mx host>, with their deliberate defects) are made by "
                + "the running lab from its endpoints' ports and certificates; dane-insecure." + origin + " is an unsigned "
                + "child zone the lab serves too (delegated above without DS)");
        if (plan.isPresent()) {
            out.println("; start the lab with --zone " + origin + " --ipv6-prefix " + plan.get().cidr() + ": each profile "
                    + "listens on port 25 of its address, its certificate naming its subdomain. The host must accept the /64:");
            out.println(";   ip -6 route add local " + plan.get().cidr() + " dev lo");
            out.println(";   sysctl -w net.ipv6.ip_nonlocal_bind=1");
        } else {
            out.println("; start the lab with --zone " + origin + " and --host matching each name (profile.<name>.host in "
                    + "--config), so each certificate names its subdomain.");
        }
        return 0;
    }
}
