package dev.doublelock.cli;

import dev.doublelock.lab.LabProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code doublelock lab zone}: the DNS records an operator publishes for an internet-facing lab. */
@Command(name = "zone", mixinStandardHelpOptions = true,
        description = {"Prints the DNS records to publish the lab on the internet: one subdomain per profile with its "
                + "own MX and A/AAAA record. Mail to anything@<profile>.DOMAIN then reaches that profile's endpoint, "
                + "which must listen on port 25 of its own IP (see 'profile.<name>.bind' in a --config file).",
                "Give one --ip per profile in profile order (see 'lab profiles'), or one --ip to print a template."})
final class LabZoneCommand implements Callable<Integer> {
    @Option(names = "--domain", required = true, description = "The lab's domain, e.g. lab.example.org.")
    String domain;

    @Option(names = "--ip", required = true, split = ",", description = "IP address(es) of the endpoints, in profile order.")
    List<String> ips;

    @Option(names = "--ttl", defaultValue = "3600", description = "TTL of the records (default: ${DEFAULT-VALUE}).")
    int ttl;

    @Override
    public Integer call() throws Exception {
        String d = domain.endsWith(".") ? domain : domain + ".";
        LabProfile[] profiles = LabProfile.values();
        if (ips.size() != 1 && ips.size() != profiles.length) {
            System.err.println("give one --ip, or exactly " + profiles.length + " (one per profile, in the order of "
                    + "'doublelock lab profiles'); got " + ips.size());
            return 2;
        }
        System.out.println("; doublelock lab zone for " + d + " (" + profiles.length + " profiles)");
        if (ips.size() == 1) {
            System.out.println("; one IP for all profiles: MX cannot carry a port, so only one profile can be reached on "
                    + "port 25 of that IP. Use one IP per profile to publish them all.");
        }
        for (int i = 0; i < profiles.length; i++) {
            InetAddress ip = InetAddress.getByName(ips.size() == 1 ? ips.get(0) : ips.get(i));
            String name = profiles[i].profileName().replace('.', '-') + "." + d;
            // the MX host is the name a sender checks the certificate against: the profile's own name, except for
            // wildcard-too-deep, whose MX is a.b.deep.<name> (two labels below its certificate's *.deep.<name>)
            String mx = profiles[i].referenceName(name.substring(0, name.length() - 1)) + ".";
            String type = ip instanceof java.net.Inet6Address ? "AAAA" : "A";
            System.out.printf("%-40s %d IN MX 10 %s%n", name, ttl, mx);
            System.out.printf("%-40s %d IN %-4s %s%n", name, ttl, type, ip.getHostAddress());
            if (!mx.equals(name)) System.out.printf("%-40s %d IN %-4s %s%n", mx, ttl, type, ip.getHostAddress());
            System.out.printf("; %s: %s%n", profiles[i].profileName(), profiles[i].defects());
        }
        System.out.println("; start the lab with --host matching each name (profile.<name>.host in --config), so each "
                + "certificate names its subdomain; do not publish DANE/MTA-STS for these names.");
        return 0;
    }
}
