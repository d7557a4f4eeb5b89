package dev.doublelock.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where the lab's MTA-STS scenarios listen (they need the lab's DNS: their records are in its zone).
 *
 * @param policyHost where the HTTPS policy host listens for every {@code mta-sts.<scenario domain>}: port 443 when
 *                   published (RFC 8461 §3.3 fetches from 443 only), any port on loopback for senders that can be
 *                   pointed at one (port 0 = any free port)
 * @param mxAddress  the address of every scenario's MX endpoint unless overridden
 * @param mxBasePort the first scenario's SMTP port, the others follow in {@link MtaStsScenario} order (0 = any free)
 * @param overrides  per-scenario MX address:port (published: port 25 on an address of its own each, from
 *                   {@code mta-sts.<scenario>.bind} in a {@code --config} file)
 */
public record MtaStsOptions(InetSocketAddress policyHost, InetAddress mxAddress, int mxBasePort,
                            Map<MtaStsScenario, InetSocketAddress> overrides) {
    /** The loopback lab's policy host port (unprivileged; 443 when published). */
    public static final int DEFAULT_POLICY_PORT = 8443;

    public MtaStsOptions {
        overrides = overrides.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(overrides));
    }

    public MtaStsOptions(InetSocketAddress policyHost, InetAddress mxAddress, int mxBasePort) {
        this(policyHost, mxAddress, mxBasePort, Map.of());
    }

    /** Where one scenario's MX listens: its override, else the MX address and base port + ordinal. */
    public InetSocketAddress mxBind(MtaStsScenario scenario) {
        InetSocketAddress override = overrides.get(scenario);
        if (override != null) return override;
        return new InetSocketAddress(mxAddress, mxBasePort == 0 ? 0 : mxBasePort + scenario.ordinal());
    }
}
