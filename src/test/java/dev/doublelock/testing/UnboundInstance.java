package dev.doublelock.testing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Debian {@code unbound} (a real validating resolver) on a loopback port, with its own config in a temp
 * directory: one trust anchor (the DS of the zone under test), one stub zone pointing at the authoritative server
 * under test, and a stub for the root at the same server, so that no query ever leaves loopback. Tests check
 * {@link #available()} with an assumption.
 */
public final class UnboundInstance implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/unbound");

    private final Process process;
    private final Path dir;
    private final InetSocketAddress address;

    private UnboundInstance(Process process, Path dir, InetSocketAddress address) {
        this.process = process;
        this.dir = dir;
        this.address = address;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts unbound and waits until it answers.
     *
     * @param zone          the zone, e.g. {@code lab.test.}
     * @param trustAnchor   the DS record's rdata ("12345 13 2 ABCD…"), as {@code lab zone} prints it
     * @param authoritative where the zone is served (UDP and TCP)
     */
    public static UnboundInstance start(String zone, String trustAnchor, InetSocketAddress authoritative)
            throws IOException, InterruptedException {
        return start(zone, trustAnchor, authoritative, java.util.List.of());
    }

    /**
     * As {@link #start(String, String, InetSocketAddress)}, with stub zones for child zones served at the same
     * address (a referral's glue carries no port: unbound would ask port 53). unbound still fetches their DS from the
     * parent, so a secure, an insecure and a bogus delegation validate as such.
     */
    public static UnboundInstance start(String zone, String trustAnchor, InetSocketAddress authoritative,
                                        java.util.List<String> childZones) throws IOException, InterruptedException {
        return start(zone, trustAnchor, authoritative, childZones,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), PostfixInstance.freePort()));
    }

    /**
     * As {@link #start(String, String, InetSocketAddress, java.util.List)}, listening on {@code listen}: for a client
     * that can only be told an address, not a port (the C library's resolver, which reads {@code nameserver} lines
     * of resolv.conf and always asks port 53), a loopback address of its own on port 53 (needs root).
     */
    public static UnboundInstance start(String zone, String trustAnchor, InetSocketAddress authoritative,
                                        java.util.List<String> childZones, InetSocketAddress listen)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "doublelock-unbound-");
        int port = listen.getPort();
        String stubAddr = authoritative.getAddress().getHostAddress() + "@" + authoritative.getPort();
        String conf = String.join("\n",
                "server:",
                "    interface: " + listen.getAddress().getHostAddress(),
                "    port: " + port,
                "    do-ip6: no",
                "    access-control: 127.0.0.0/8 allow",
                "    do-not-query-localhost: no",
                "    username: \"\"",
                "    chroot: \"\"",
                "    directory: \"" + dir + "\"",
                "    pidfile: \"" + dir.resolve("unbound.pid") + "\"",
                "    logfile: \"" + dir.resolve("unbound.log") + "\"",
                "    use-syslog: no",
                "    num-threads: 1",
                "    so-reuseport: no",
                "    verbosity: 1",
                "    val-log-level: 2",
                "    module-config: \"validator iterator\"",
                "    trust-anchor-signaling: no",
                "    root-key-sentinel: no",
                "    trust-anchor: \"" + zone + " DS " + trustAnchor + "\"",
                // unbound answers RFC 6761 names (test., invalid., …) itself unless told not to
                "    local-zone: \"" + topLevel(zone) + "\" nodefault",
                "remote-control:",
                "    control-enable: no",
                "stub-zone:",
                "    name: \"" + zone + "\"",
                "    stub-addr: " + stubAddr,
                childStubs(childZones, stubAddr) +
                "stub-zone:", // no root hints for anything else: the root is the server under test, which refuses
                "    name: \".\"",
                "    stub-addr: " + stubAddr,
                "");
        Path confFile = dir.resolve("unbound.conf");
        Files.writeString(confFile, conf, StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(BINARY.toString(), "-d", "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        UnboundInstance u = new UnboundInstance(p, dir, new InetSocketAddress(listen.getAddress(), port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String said = u.log();
                u.close();
                throw new IOException("unbound exited with " + p.exitValue() + ":\n" + said);
            }
            try {
                u.ask(zone, Type.SOA, Duration.ofMillis(500));
                return u;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        String said = u.log();
        u.close();
        throw new IOException("unbound did not answer within 15 s:\n" + said);
    }

    private static String childStubs(java.util.List<String> children, String stubAddr) {
        StringBuilder b = new StringBuilder();
        for (String c : children) {
            b.append("stub-zone:\n    name: \"").append(c).append("\"\n    stub-addr: ").append(stubAddr).append('\n');
        }
        return b.toString();
    }

    private static String topLevel(String zone) {
        String[] labels = zone.split("\\.");
        return labels[labels.length - 1] + ".";
    }

    public InetSocketAddress address() {
        return address;
    }

    /** A recursive query with the DO bit (so that unbound reports validation in the AD bit). */
    public Message ask(String name, int type) throws IOException {
        return ask(name, type, Duration.ofSeconds(5));
    }

    private Message ask(String name, int type, Duration timeout) throws IOException {
        SimpleResolver r = new SimpleResolver(address);
        r.setTimeout(timeout);
        r.setEDNS(0, 1232, ExtendedFlags.DO);
        return r.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN)));
    }

    /** unbound's log and output so far (validation failures are logged at val-log-level 2). */
    public String log() {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"unbound.log", "stdout.log"}) {
            try {
                b.append(Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // not written yet
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
