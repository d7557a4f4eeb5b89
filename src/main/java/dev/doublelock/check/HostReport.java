package dev.doublelock.check;

import java.util.List;
import java.util.Optional;

import dev.doublelock.policy.transport.TransportVerdict;

import dev.doublelock.finding.Finding;
import dev.doublelock.tls.ChainAssessment;
import dev.doublelock.tls.ServerObservation;

/**
 * One probed endpoint of a target: an MX host at one of its addresses, or the endpoint the user named.
 *
 * @param name        the host name (MX host, endpoint host) or IP literal
 * @param address     the IP address probed, empty if the name did not resolve
 * @param port        the TCP port
 * @param observation what the prober saw, empty if the host could not be probed at all
 * @param chain       the chain assessment (path, trust, name match), if a chain was received
 * @param findings    the findings about this endpoint, policy findings and DANE/MTA-STS ones together
 * @param relay       what the relay would do with this endpoint under the same policy (its forecast verdict);
 *                    empty if the host was not probed
 * @param probedAs    when the observation is another MX name's probe of the same address (a batch probes each
 *                    address once): that name, which the prober sent as SNI; empty when probed as this name
 */
public record HostReport(String name, Optional<String> address, int port, Optional<ServerObservation> observation,
                         Optional<ChainAssessment> chain, List<Finding> findings, Optional<TransportVerdict> relay,
                         Optional<String> probedAs) {
    public HostReport {
        findings = List.copyOf(findings);
    }

    public HostReport(String name, Optional<String> address, int port, Optional<ServerObservation> observation,
                      Optional<ChainAssessment> chain, List<Finding> findings, Optional<TransportVerdict> relay) {
        this(name, address, port, observation, chain, findings, relay, Optional.empty());
    }

    /** A host that could not be probed: no observation, no relay forecast. */
    public HostReport(String name, Optional<String> address, int port, List<Finding> findings) {
        this(name, address, port, Optional.empty(), Optional.empty(), findings, Optional.empty());
    }

    /** "mx.example.org (192.0.2.1:25)". */
    public String label() {
        return name + address.map(a -> " (" + (a.contains(":") ? "[" + a + "]" : a) + ":" + port + ")").orElse(":" + port);
    }
}
