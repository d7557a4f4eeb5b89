package dev.doublelock.relay.delivery;

import dev.doublelock.policy.Policies;
import dev.doublelock.policy.Policy;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.transport.LocalMode;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.smtp.client.ClientTlsConfig;
import dev.doublelock.tls.ChainInspector;
import dev.doublelock.tls.PkixTrust;
import dev.doublelock.tls.TlsVersion;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every outgoing handshake shares: the trust anchors (JDK CA store and/or configured ones, as a PKIX
 * trust manager and as a {@link ChainInspector}), the policy engines by name, and per policy the cipher suites
 * the relay offers, and the cached {@link SSLContext}s whose sessions are resumed ({@link TlsContextCache}).
 * Never changes a JDK security property: the relay offers TLS 1.3 and 1.2 only.
 */
final class TlsSetup {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final X509ExtendedTrustManager pkix;
    private final ChainInspector inspector;
    private final Clock clock;
    private final Map<String, PolicyEngine> engines = new ConcurrentHashMap<>();
    private final Map<String, TransportDecision> decisions = new ConcurrentHashMap<>();
    private final Map<String, List<String>> allowedSuites = new ConcurrentHashMap<>();
    private final Map<String, List<String>> allowedGroups = new ConcurrentHashMap<>();
    private final TlsContextCache contexts;

    TlsSetup(Collection<X509Certificate> extraAnchors, boolean jdkAnchors, Clock clock) {
        this.clock = clock;
        this.contexts = new TlsContextCache(TlsContextCache.DEFAULT_MAX_CONTEXTS, TlsContextCache.DEFAULT_TTL, clock);
        this.inspector = new ChainInspector(extraAnchors, jdkAnchors);
        this.pkix = pkixTrustManager(extraAnchors, jdkAnchors);
    }

    PolicyEngine engine(String policyName) {
        return engines.computeIfAbsent(policyName, n -> new PolicyEngine(Policies.resolve(n)));
    }

    PolicyContext context() {
        Instant now = clock.instant();
        return new PolicyContext(inspector, now, now.atZone(ZoneOffset.UTC).getYear());
    }

    /**
     * The TLS configuration for one handshake with {@code referenceName}, and the trust manager that will hold
     * what it saw. Under an enforced policy only the suites and key-exchange groups that policy allows are offered
     * (a server with custom DHE parameters ignores the offered ffdhe groups: the observed DH size catches that,
     * before MAIL FROM). The SNI is the
     * reference name, under DANE the TLSA base domain (RFC 7672 §8.1: the CNAME-expanded MX host name when the
     * records were found there), none for an address literal.
     * The {@link SSLContext} is the cached one for everything the trust decision depends on ({@link
     * TlsContextCache.Key}), so its sessions can be resumed; with {@code fresh} a new one replaces it. The handshake
     * must run inside {@link Prepared#bind()}.
     *
     * @param requirement  what the host is held to (the transport decision's): part of the cache key
     * @param verification whether a verdict against the server ends the handshake or is only recorded
     */
    Prepared prepare(TransportDecision decision, TransportRequirement requirement, String endpoint,
                     boolean addressLiteral, boolean fresh, JudgingTrustManager.Verification verification) {
        PolicyEngine engine = decision.engine();
        String referenceName = requirement.host();
        Optional<String> sni = addressLiteral ? Optional.empty()
                : Optional.of(requirement.authentication().serverName(referenceName));
        JudgingTrustManager tm = new JudgingTrustManager(pkix, decision, requirement, context(), endpoint, sni,
                verification);
        boolean enforce = requirement.enforce();
        TlsContextCache.Key key = new TlsContextCache.Key(engine.policy().name() + "@" + engine.policy().version(),
                String.valueOf(engine.policy().mode()), requirement.label(), referenceName, endpoint, enforce,
                addressLiteral, requirement.authentication(), verification);
        if (fresh) {
            contexts.forget(key);
        }
        SSLContext ctx = contexts.get(key, this::newContext);
        List<String> suites = enforce ? suitesAllowedBy(engine, ctx) : List.of();
        List<String> groups = enforce ? groupsAllowedBy(engine, ctx) : List.of();
        return new Prepared(new ClientTlsConfig(ctx, PROTOCOLS, suites, groups, sni, false), tm, key);
    }

    /** The transport decision for a policy (by name or file) in the map's mode: one per pair. */
    TransportDecision decision(String policyName, PolicyMap.Mode mode) {
        LocalMode m = mode == PolicyMap.Mode.TESTING ? LocalMode.TESTING : LocalMode.ENFORCE;
        return decisions.computeIfAbsent(policyName + "\u0000" + m, k -> new TransportDecision(engine(policyName), m));
    }

    /**
     * The legacy engine's configuration for unauthenticated TLS with a server the JDK cannot talk to: the chain goes
     * to the same (RECORD_ONLY) trust manager, so it is judged and recorded as a JSSE handshake's would be.
     */
    static dev.doublelock.smtp.client.LegacyTlsConfig legacy(Prepared prepared) {
        JudgingTrustManager tm = prepared.trustManager();
        return new dev.doublelock.smtp.client.LegacyTlsConfig(tm::judgeLegacy, prepared.config().sni());
    }

    private SSLContext newContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new ThreadBoundTrustManager(pkix)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /** Drops the cached context (and its sessions) a {@link Prepared} used: its next handshake is a full one. */
    void forget(Prepared prepared) {
        contexts.forget(prepared.key());
    }

    /** A handshake's configuration, its trust manager, and the cache key of its context. */
    record Prepared(ClientTlsConfig config, JudgingTrustManager trustManager, TlsContextCache.Key key) {
        /** Binds this handshake's trust manager to the current thread until closed; run STARTTLS inside. */
        ThreadBoundTrustManager.Binding bind() {
            return ThreadBoundTrustManager.bind(trustManager);
        }
    }

    /**
     * The provider's default TLS 1.3/1.2 suites that the policy does not FAIL when negotiated: judged by the
     * policy engine itself (a session with only that suite), so the list follows the policy file.
     */
    private List<String> suitesAllowedBy(PolicyEngine engine, SSLContext ctx) {
        return allowedSuites.computeIfAbsent(engine.policy().name() + "@" + engine.policy().version(), k -> {
            List<String> out = new ArrayList<>();
            PolicyContext pc = context();
            TransportDecision judge = new TransportDecision(engine, LocalMode.ENFORCE);
            for (String suite : ctx.getDefaultSSLParameters().getCipherSuites()) {
                if (suite.startsWith("TLS_EMPTY")) {
                    out.add(suite);
                    continue;
                }
                TlsVersion v = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                        ? TlsVersion.TLS_1_3 : TlsVersion.TLS_1_2;
                if (judge.allowsSuite(v, suite, pc)) {
                    out.add(suite);
                }
            }
            if (out.stream().allMatch(s -> s.startsWith("TLS_EMPTY"))) {
                throw new IllegalStateException("the policy " + engine.policy().name() + " allows none of the TLS "
                        + "suites this JDK offers; check the policy's cipher-suite rules");
            }
            return List.copyOf(out);
        });
    }

    /**
     * The provider's default key-exchange groups that the policy does not FAIL when negotiated: each judged by the
     * policy engine as a TLS 1.3 session with that group, so the list follows the policy file.
     */
    private List<String> groupsAllowedBy(PolicyEngine engine, SSLContext ctx) {
        return allowedGroups.computeIfAbsent(engine.policy().name() + "@" + engine.policy().version(), k -> {
            List<String> out = new ArrayList<>();
            PolicyContext pc = context();
            String[] offered = ctx.getDefaultSSLParameters().getNamedGroups();
            TransportDecision judge = new TransportDecision(engine, LocalMode.ENFORCE);
            for (String group : offered == null ? new String[0] : offered) {
                if (judge.allowsGroup(group, pc)) {
                    out.add(group);
                }
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("the policy " + engine.policy().name() + " allows none of the "
                        + "key-exchange groups this JDK offers; check the policy's key-exchange rules");
            }
            return List.copyOf(out);
        });
    }

    private static X509ExtendedTrustManager pkixTrustManager(Collection<X509Certificate> extra, boolean jdkAnchors) {
        List<X509Certificate> all = new ArrayList<>(extra);
        if (jdkAnchors) {
            all.addAll(ChainInspector.jdkDefaultAnchors());
        }
        return PkixTrust.trustManager(all);
    }
}
