package dev.doublelock.policy.transport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.NamedGroup;
import dev.doublelock.tls.NamedGroups;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

/**
 * The sessions a relay could have with a server, derived from the checker's observation of everything the server
 * accepts: one per accepted (TLS 1.3 or 1.2 version, suite, group) with the server's chain. The relay offers TLS 1.3
 * and 1.2 and, when it enforces, only what the policy allows, so it gets a session the policy passes if there is
 * one; a DHE suite is judged with the smallest DH group the server used. {@link TransportDecision#forecast} judges the candidates exactly as it judges a live session.
 */
final class SessionForecast {
    private SessionForecast() {
    }

    static List<SessionObservation> candidates(ServerObservation o) {
        List<SessionObservation> out = new ArrayList<>();
        for (TlsVersion v : List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)) {
            for (String suite : o.acceptedSuites().getOrDefault(v, List.of())) {
                boolean dhe = v != TlsVersion.TLS_1_3 && CipherSuites.byName(suite).map(CipherSuite::keyExchange)
                        .map(k -> k == CipherSuite.KeyExchange.DHE).orElse(false);
                Optional<Integer> dhBits = dhe ? o.minDhBits() : Optional.empty();
                for (Optional<String> group : groups(o, v, suite)) {
                    out.add(new SessionObservation(o.referenceName(), o.endpoint(), o.startTls(), Optional.of(v),
                            Optional.of(suite), group, dhBits, o.chain(), Optional.of(o.referenceName())));
                }
            }
        }
        return out;
    }

    /** A session for a server that spoke TLS, but only versions the relay does not offer. */
    static SessionObservation legacyOnly(ServerObservation o) {
        return new SessionObservation(o.referenceName(), o.endpoint(),
                new StartTlsOutcome(StartTlsOutcome.Status.HANDSHAKE_FAILED, "the server accepts only "
                        + o.acceptedVersions().stream().map(TlsVersion::toString).toList()),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.of(o.referenceName()));
    }

    /** The groups a session with this suite could use: TLS 1.3 any accepted group, ECDHE the curves, else none. */
    private static List<Optional<String>> groups(ServerObservation o, TlsVersion v, String suite) {
        Optional<CipherSuite.KeyExchange> kx = CipherSuites.byName(suite).map(CipherSuite::keyExchange);
        List<String> accepted = o.acceptedGroups().stream().sorted(Comparator.naturalOrder()).toList();
        List<String> fitting;
        if (v == TlsVersion.TLS_1_3) {
            fitting = accepted;
        } else if (kx.isPresent() && kx.get() == CipherSuite.KeyExchange.ECDHE) {
            fitting = accepted.stream().filter(g -> NamedGroups.byName(g).map(n -> n.kind() != NamedGroup.Kind.FFDHE).orElse(true)).toList();
        } else {
            return List.of(Optional.empty());
        }
        return fitting.isEmpty() ? List.of(Optional.empty()) : fitting.stream().map(Optional::of).toList();
    }
}
