package dev.doublelock.policy;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.doublelock.tls.CertificateMessage;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

/** Test builder for hand-made ServerObservations (what a prober would have seen). */
final class Obs {
    private final TreeMap<TlsVersion, List<String>> suites = new TreeMap<>();
    private final Set<String> groups = new HashSet<>();
    private List<X509Certificate> chain = List.of();
    private StartTlsOutcome startTls = StartTlsOutcome.established();
    private Optional<Integer> minDh = Optional.empty();
    private Optional<Boolean> reneg = Optional.of(true);
    private final List<String> untested = new ArrayList<>();
    private CertificateMessage certificateMessage;
    private String referenceName = "localhost";

    static Obs server() {
        return new Obs();
    }

    /** The lab's "good" TLS parameters: TLS 1.2 ECDHE-ECDSA AES-GCM, TLS 1.3 AES-GCM, P-256/P-384. */
    static Obs goodTls() {
        return server().suites(TlsVersion.TLS_1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
                .suites(TlsVersion.TLS_1_3, "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384")
                .groups("secp256r1", "secp384r1");
    }

    Obs suites(TlsVersion v, String... names) { suites.put(v, List.of(names)); return this; }
    Obs onlySuites(TlsVersion v, String... names) { suites.clear(); return suites(v, names); }
    Obs groups(String... g) { groups.addAll(List.of(g)); return this; }
    Obs noGroups() { groups.clear(); return this; }
    Obs chain(X509Certificate... c) { chain = List.of(c); return this; }
    Obs startTls(StartTlsOutcome.Status s, String detail) { startTls = new StartTlsOutcome(s, detail); return this; }
    Obs minDh(int bits) { minDh = Optional.of(bits); return this; }
    Obs renegotiation(Boolean b) { reneg = Optional.ofNullable(b); return this; }
    Obs untested(String what) { untested.add(what); return this; }
    /** What the Certificate message showed; by default PRESENT with a chain, NOT_OBSERVED without one. */
    Obs certificateMessage(CertificateMessage.Kind kind, String detail) {
        certificateMessage = new CertificateMessage(kind, detail);
        return this;
    }

    private CertificateMessage certificate() {
        if (certificateMessage != null) return certificateMessage;
        return chain.isEmpty() ? CertificateMessage.notObserved("not part of this test") : CertificateMessage.present();
    }

    Obs name(String reference) { referenceName = reference; return this; }

    ServerObservation build() {
        Map<TlsVersion, Boolean> order = new HashMap<>();
        return new ServerObservation(referenceName, "127.0.0.1:2525", startTls, suites, order, groups, minDh, chain, certificate(),
                reneg, Optional.of(true), Optional.empty(), Optional.of(false), Optional.of(false), untested);
    }
}
