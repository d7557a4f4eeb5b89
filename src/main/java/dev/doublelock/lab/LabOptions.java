package dev.doublelock.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the lab runs: which profiles listen where, the host name, where data goes.
 *
 * @param bindAddress  default address for every profile (loopback unless published on purpose)
 * @param basePort     first port; profiles take consecutive ports in {@link LabProfile} order (0 = any free)
 * @param hostName     the lab host name the certificates are issued for
 * @param dataDir      the data directory (PKI, record database)
 * @param jdbcUrl      record database URL; empty = SQLite file {@code dataDir/lab.db}
 * @param overrides    per-profile address:port and host name (how the lab is published: one IP per profile on port 25)
 * @param keepBodyBytes keep up to this many bytes of each message body (0 = keep none)
 * @param idleTimeout  SMTP idle timeout
 * @param dns          the lab's signed DNS (zone, address, limits); empty = no DNS endpoint
 * @param mtaSts       the MTA-STS scenarios' policy host and MX endpoints; empty = none (they need {@code dns})
 */
public record LabOptions(InetAddress bindAddress, int basePort, String hostName, Path dataDir, Optional<String> jdbcUrl,
                         Map<LabProfile, LabEndpoint> overrides, int keepBodyBytes, Duration idleTimeout,
                         Optional<LabDnsOptions> dns, Optional<MtaStsOptions> mtaSts) {
    public static final int DEFAULT_BASE_PORT = 2525;

    public LabOptions {
        overrides = overrides.isEmpty() ? Map.of() : new EnumMap<>(overrides);
    }

    public static LabOptions defaults() {
        try {
            return new LabOptions(InetAddress.getByName("127.0.0.1"), DEFAULT_BASE_PORT, "localhost",
                    Path.of("doublelock-data", "lab"), Optional.empty(), Map.of(), 0, Duration.ofMinutes(5),
                    Optional.empty(), Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public LabOptions withBasePort(int port) {
        return new LabOptions(bindAddress, port, hostName, dataDir, jdbcUrl, overrides, keepBodyBytes, idleTimeout, dns, mtaSts);
    }

    public LabOptions withDataDir(Path dir) {
        return new LabOptions(bindAddress, basePort, hostName, dir, jdbcUrl, overrides, keepBodyBytes, idleTimeout, dns, mtaSts);
    }

    public LabOptions withBindAddress(InetAddress address) {
        return new LabOptions(address, basePort, hostName, dataDir, jdbcUrl, overrides, keepBodyBytes, idleTimeout, dns, mtaSts);
    }

    public LabOptions withHostName(String name) {
        return new LabOptions(bindAddress, basePort, name, dataDir, jdbcUrl, overrides, keepBodyBytes, idleTimeout, dns, mtaSts);
    }

    public LabOptions withJdbcUrl(String url) {
        return new LabOptions(bindAddress, basePort, hostName, dataDir, Optional.ofNullable(url), overrides,
                keepBodyBytes, idleTimeout, dns, mtaSts);
    }

    public LabOptions withKeepBodyBytes(int bytes) {
        if (bytes < 0) throw new IllegalArgumentException("--keep-bodies must be 0 or more bytes");
        return new LabOptions(bindAddress, basePort, hostName, dataDir, jdbcUrl, overrides, bytes, idleTimeout, dns, mtaSts);
    }

    public LabOptions withOverrides(Map<LabProfile, LabEndpoint> newOverrides) {
        return new LabOptions(bindAddress, basePort, hostName, dataDir, jdbcUrl, newOverrides, keepBodyBytes, idleTimeout, dns, mtaSts);
    }

    /** With the lab's signed DNS endpoint (empty: none). */
    public LabOptions withDns(Optional<LabDnsOptions> newDns) {
        return new LabOptions(bindAddress, basePort, hostName, dataDir, jdbcUrl, overrides, keepBodyBytes, idleTimeout, newDns, mtaSts);
    }

    /** With the MTA-STS scenarios (empty: none); they need {@link #withDns the lab's DNS}. */
    public LabOptions withMtaSts(Optional<MtaStsOptions> newMtaSts) {
        return new LabOptions(bindAddress, basePort, hostName, dataDir, jdbcUrl, overrides, keepBodyBytes, idleTimeout, dns,
                newMtaSts);
    }

    /** The endpoint of every profile: the override if configured, else bind address and basePort + ordinal. */
    public List<LabEndpoint> endpoints() {
        List<LabEndpoint> out = new ArrayList<>();
        for (LabProfile p : LabProfile.values()) {
            LabEndpoint override = overrides.get(p);
            if (override != null) {
                out.add(override);
            } else {
                int port = basePort == 0 ? 0 : basePort + p.ordinal();
                out.add(new LabEndpoint(p, new InetSocketAddress(bindAddress, port), hostName));
            }
        }
        return out;
    }
}
