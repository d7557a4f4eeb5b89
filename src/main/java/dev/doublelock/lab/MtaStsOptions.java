package dev.doublelock.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where the lab's MTA-STS scenarios listen (they need the lab's DNS: their records are in its zone).
 *
 * @param policyHost where the HTTPS policy host listens for every {@code mta-sts.<scenario domain>}: port 443 when
 *                   published (RFC 8461 §3.3 fetches from 443 only), any port on loopback for senders that can be
 *                   pointed at one (port 0 = any free port)
 * @param mxAddress  the address of every scenario's MX endpoint
 * @param mxBasePort the first scenario's SMTP port, the others follow in {@link MtaStsScenario} order (0 = any free;
 *                   when published each scenario MX needs port 25 on an address of its own — not yet supported)
 */
public record MtaStsOptions(InetSocketAddress policyHost, InetAddress mxAddress, int mxBasePort) {
    /** The loopback lab's policy host port (unprivileged; 443 when published). */
    public static final int DEFAULT_POLICY_PORT = 8443;

    /** The port of one scenario's MX. */
    public int mxPort(MtaStsScenario scenario) {
        return mxBasePort == 0 ? 0 : mxBasePort + scenario.ordinal();
    }
}
