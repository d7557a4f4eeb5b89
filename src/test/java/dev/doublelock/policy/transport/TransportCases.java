package dev.doublelock.policy.transport;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.dane.DaneStatus;
import dev.doublelock.policy.dane.TlsaMatcher;
import dev.doublelock.policy.mtasts.StsLookupResult;
import dev.doublelock.policy.mtasts.StsPolicy;
import dev.doublelock.tls.CertFixture;
import dev.doublelock.tls.CertificateMessage;
import dev.doublelock.tls.CertFixture.Issued;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

import static dev.doublelock.finding.FindingCode.*;

/**
 * The one table of transport cases that the checker path and the relay path are both tested against, so that
 * they cannot drift: DANE usages 2/3 × selectors × match/mismatch, insecure and bogus TLSA, SERVFAIL, secure
 * NODATA, MTA-STS enforce/testing/none, REQUIRETLS, {@code TLS-Required: No}, tr-03108, report-only and TESTING.
 *
 * <p>Every server here speaks one session's worth of TLS (one version, one suite, one group), so "everything the
 * server accepts" (the checker's observation) and "the session the relay gets" are the same facts.
 */
public final class TransportCases {
    public static final String DOMAIN = "example.org";
    public static final String MX = "mx.example.org";

    /** The Web PKI the judge trusts. */
    public static final CertFixture.Pki WEB = CertFixture.goodPki("transport-web");
    /** A private CA nobody trusts: DANE-TA(2) is the only way it authenticates. */
    static final Issued PRIVATE_CA = CertFixture.cert("CN=doublelock private ca").key(CertFixture.rsa(3072)).ca()
            .validity(CertFixture.NOW.minus(Duration.ofDays(3650)), CertFixture.NOW.plus(Duration.ofDays(3650))).build();

    static final Issued GOOD = WEB.leaf(MX);
    static final Issued SELF_SIGNED = CertFixture.cert("CN=" + MX).key(CertFixture.ec("secp256r1", "leaf")).dns(MX).build();
    static final Issued SELF_SIGNED_EXPIRED = CertFixture.cert("CN=" + MX).key(CertFixture.ec("secp256r1", "leaf"))
            .dns(MX).validity(CertFixture.NOW.minus(Duration.ofDays(400)), CertFixture.NOW.minus(Duration.ofDays(30))).build();
    static final Issued SELF_SIGNED_SHA1 = CertFixture.cert("CN=" + MX).key(CertFixture.rsa(2048)).dns(MX)
            .signedWith("SHA1withRSA").build();
    static final Issued SELF_SIGNED_WRONG_HOST = CertFixture.cert("CN=abc.xy").key(CertFixture.ec("secp256r1", "leaf"))
            .dns("abc.xy").build();
    static final Issued WEB_EXPIRED = CertFixture.cert("CN=" + MX).key(CertFixture.ec("secp256r1", "leaf"))
            .issuedBy(WEB.intermediate()).dns(MX)
            .validity(CertFixture.NOW.minus(Duration.ofDays(400)), CertFixture.NOW.minus(Duration.ofDays(30))).build();
    static final Issued WEB_WRONG_HOST = CertFixture.cert("CN=abc.xy").key(CertFixture.ec("secp256r1", "leaf"))
            .issuedBy(WEB.intermediate()).dns("abc.xy").build();
    static final Issued WEB_SHA1 = CertFixture.cert("CN=" + MX).key(CertFixture.rsa(2048)).issuedBy(WEB.intermediate())
            .dns(MX).signedWith("SHA1withECDSA").build();
    static final Issued PRIVATE_LEAF = CertFixture.cert("CN=" + MX).key(CertFixture.ec("secp256r1", "leaf"))
            .issuedBy(PRIVATE_CA).dns(MX).build();
    static final Issued PRIVATE_LEAF_DOMAIN_ONLY = CertFixture.cert("CN=" + DOMAIN).key(CertFixture.ec("secp256r1", "leaf"))
            .issuedBy(PRIVATE_CA).dns(DOMAIN).build();
    static final Issued PRIVATE_LEAF_WRONG_HOST = CertFixture.cert("CN=abc.xy").key(CertFixture.ec("secp256r1", "leaf"))
            .issuedBy(PRIVATE_CA).dns("abc.xy").build();
    static final Issued PRIVATE_LEAF_EXPIRED = CertFixture.cert("CN=" + MX).key(CertFixture.ec("secp256r1", "leaf"))
            .issuedBy(PRIVATE_CA).dns(MX)
            .validity(CertFixture.NOW.minus(Duration.ofDays(400)), CertFixture.NOW.minus(Duration.ofDays(30))).build();
    static final Issued PRIVATE_LEAF_SHA1 = CertFixture.cert("CN=" + MX).key(CertFixture.rsa(2048)).issuedBy(PRIVATE_CA)
            .dns(MX).signedWith("SHA1withRSA").build();

    static final String GOOD_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    static final String CBC_SHA1 = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";

    /** What the domain publishes. */
    enum Dns { NONE, INSECURE_MX }

    /**
     * One case.
     *
     * @param expectFails the FAIL codes, as a set
     */
    public record Case(String name, String policy, LocalMode mode, boolean mxAuthentic, Optional<DaneStatus> dane,
                Optional<StsLookupResult> sts, MessageDemands msg, boolean dnssecWithheld, List<X509Certificate> chain,
                String suite, StartTlsOutcome startTls, Action expectAction, Set<FindingCode> expectFails,
                Optional<Authentication> expectAuth) {
        @Override
        public String toString() {
            return name;
        }

        public DomainFacts facts() {
            return new DomainFacts(DOMAIN, true, mxAuthentic,
                    dnssecWithheld ? Optional.of("resolver 127.0.0.1:53 returned DNSKEY . without RRSIG") : Optional.empty(), sts);
        }

        public ServerObservation server() {
            TreeMap<TlsVersion, List<String>> suites = new TreeMap<>();
            if (startTls.isEstablished()) suites.put(TlsVersion.TLS_1_2, List.of(suite));
            Map<TlsVersion, Boolean> order = new HashMap<>();
            return new ServerObservation(MX, "192.0.2.25:25", startTls, suites, order,
                    startTls.isEstablished() ? Set.of("secp256r1") : Set.of(), Optional.empty(),
                    startTls.isEstablished() ? chain : List.of(),
                    startTls.isEstablished() ? CertificateMessage.present() : CertificateMessage.notObserved("no TLS"),
                    Optional.of(true), Optional.of(true), Optional.empty(),
                    Optional.of(false), Optional.of(false), List.of());
        }

        public SessionObservation session() {
            boolean tls = startTls.isEstablished();
            return new SessionObservation(MX, "192.0.2.25:25", startTls, tls ? Optional.of(TlsVersion.TLS_1_2) : Optional.empty(),
                    tls ? Optional.of(suite) : Optional.empty(), tls ? Optional.of("secp256r1") : Optional.empty(),
                    Optional.empty(), tls ? chain : List.of(), Optional.of(MX));
        }
    }

    // ----- builders

    static final class B {
        private final String name;
        private String policy = Policies.DEFAULT;
        private LocalMode mode = LocalMode.ENFORCE;
        private boolean mxAuthentic = true;
        private Optional<DaneStatus> dane = Optional.of(new DaneStatus.None("securely no TLSA records (NODATA)"));
        private Optional<StsLookupResult> sts = Optional.of(new StsLookupResult.NoPolicy("no _mta-sts record"));
        private MessageDemands msg = MessageDemands.NONE;
        private boolean withheld;
        private List<X509Certificate> chain = certs(GOOD, WEB.intermediate());
        private String suite = GOOD_SUITE;
        private StartTlsOutcome startTls = StartTlsOutcome.established();

        B(String name) {
            this.name = name;
        }

        B policy(String p) { policy = p; return this; }
        B testing() { mode = LocalMode.TESTING; return this; }
        B insecureMx() { mxAuthentic = false; return this; }
        B dane(DaneStatus d) { dane = Optional.of(d); return this; }
        B tlsa(TlsaRecord... r) {
            dane = Optional.of(new DaneStatus.Records("_25._tcp." + MX, List.of(r),
                    List.of(r).stream().anyMatch(TlsaMatcher::usable)));
            return this;
        }
        B sts(StsPolicy.Mode m, String... mx) {
            sts = Optional.of(new StsLookupResult.Active(new StsPolicy(m, List.of(mx), 86400), "20261202", false, null));
            return this;
        }
        B requireTls() { msg = new MessageDemands(true, false); return this; }
        B tlsRequiredNo() { msg = new MessageDemands(false, true); return this; }
        B withheld() { withheld = true; return this; }
        B chain(Issued... c) { chain = certs(c); return this; }
        B suite(String s) { suite = s; return this; }
        B noStartTls() { startTls = new StartTlsOutcome(StartTlsOutcome.Status.NOT_OFFERED, "EHLO lists no STARTTLS"); return this; }

        Case expect(Action a, Authentication auth, FindingCode... fails) {
            return new Case(name, policy, mode, mxAuthentic, dane, sts, msg, withheld, chain, suite, startTls, a,
                    Set.of(fails), Optional.ofNullable(auth));
        }

        private static List<X509Certificate> certs(Issued... c) {
            List<X509Certificate> l = new ArrayList<>();
            for (Issued i : c) l.add(i.cert());
            return l;
        }
    }

    static B c(String name) {
        return new B(name);
    }

    static TlsaRecord tlsa(int usage, int selector, int matching, X509Certificate cert) {
        try {
            byte[] selected = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
            byte[] data = switch (matching) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> throw new IllegalArgumentException();
            };
            return new TlsaRecord(usage, selector, matching, data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TlsaRecord wrong(int usage, int selector, int matching) {
        return new TlsaRecord(usage, selector, matching, new byte[matching == 2 ? 64 : 32]);
    }

    static final Authentication PKIX = Authentication.PKIX, EE = Authentication.DANE_EE, TA = Authentication.DANE_TA,
            NONE = Authentication.NONE;

    public static List<Case> all() {
        X509Certificate ss = SELF_SIGNED.cert();
        X509Certificate ca = PRIVATE_CA.cert();
        List<Case> l = new ArrayList<>();
        // the local policy alone
        l.add(c("bsi: good PKIX").expect(Action.DELIVER, PKIX));
        l.add(c("bsi: self-signed").chain(SELF_SIGNED).expect(Action.REFUSE, NONE, UNKNOWN_ISSUER));
        l.add(c("bsi: expired").chain(WEB_EXPIRED, WEB.intermediate()).expect(Action.REFUSE, NONE, EXPIRED_CERTIFICATE));
        l.add(c("bsi: wrong host").chain(WEB_WRONG_HOST, WEB.intermediate()).expect(Action.REFUSE, NONE, BAD_CERT_DOMAIN));
        l.add(c("bsi: sha1 signature").chain(WEB_SHA1, WEB.intermediate()).expect(Action.REFUSE, PKIX, WEAK_SIGNATURE_ALGORITHM));
        l.add(c("bsi: CBC-SHA1 suite").suite(CBC_SHA1).expect(Action.REFUSE, PKIX, CIPHER_NOT_RECOMMENDED));
        l.add(c("bsi: no STARTTLS").noStartTls().expect(Action.REFUSE, NONE, NO_STARTTLS));
        l.add(c("opportunistic: self-signed").policy("opportunistic").chain(SELF_SIGNED).expect(Action.DELIVER, NONE));
        l.add(c("opportunistic: sha1").policy("opportunistic").chain(WEB_SHA1, WEB.intermediate()).expect(Action.DELIVER, PKIX));
        l.add(c("opportunistic: no STARTTLS").policy("opportunistic").noStartTls().expect(Action.DELIVER, NONE));
        l.add(c("testing: self-signed would refuse").testing().chain(SELF_SIGNED).expect(Action.DELIVER, NONE, UNKNOWN_ISSUER));
        // DANE-EE(3)
        l.add(c("dane-ee 3 1 1 match, self-signed").chain(SELF_SIGNED).tlsa(tlsa(3, 1, 1, ss)).expect(Action.DELIVER, EE));
        l.add(c("dane-ee 3 0 1 match, self-signed").chain(SELF_SIGNED).tlsa(tlsa(3, 0, 1, ss)).expect(Action.DELIVER, EE));
        l.add(c("dane-ee 3 1 2 match, self-signed").chain(SELF_SIGNED).tlsa(tlsa(3, 1, 2, ss)).expect(Action.DELIVER, EE));
        l.add(c("dane-ee 3 0 0 match, self-signed").chain(SELF_SIGNED).tlsa(tlsa(3, 0, 0, ss)).expect(Action.DELIVER, EE));
        l.add(c("dane-ee match, expired leaf (dates not checked)").chain(SELF_SIGNED_EXPIRED)
                .tlsa(tlsa(3, 1, 1, SELF_SIGNED_EXPIRED.cert())).expect(Action.DELIVER, EE));
        l.add(c("dane-ee match, sha1-signed leaf (signature not checked)").chain(SELF_SIGNED_SHA1)
                .tlsa(tlsa(3, 1, 1, SELF_SIGNED_SHA1.cert())).expect(Action.DELIVER, EE));
        l.add(c("dane-ee match, wrong host (names not checked)").chain(SELF_SIGNED_WRONG_HOST)
                .tlsa(tlsa(3, 1, 1, SELF_SIGNED_WRONG_HOST.cert())).expect(Action.DELIVER, EE));
        l.add(c("dane-ee match, CBC-SHA1 suite (parameters still count)").chain(SELF_SIGNED).suite(CBC_SHA1)
                .tlsa(tlsa(3, 1, 1, ss)).expect(Action.REFUSE, EE, CIPHER_NOT_RECOMMENDED));
        l.add(c("dane-ee 3 1 1 mismatch, good PKIX").tlsa(wrong(3, 1, 1)).expect(Action.REFUSE, NONE, DANE_TLSA_MISMATCH));
        l.add(c("dane-ee 3 0 2 mismatch, self-signed").chain(SELF_SIGNED).tlsa(wrong(3, 0, 2))
                .expect(Action.REFUSE, NONE, DANE_TLSA_MISMATCH, UNKNOWN_ISSUER));
        l.add(c("dane-ee mismatch under opportunistic still refuses").policy("opportunistic").tlsa(wrong(3, 1, 1))
                .expect(Action.REFUSE, NONE, DANE_TLSA_MISMATCH));
        l.add(c("dane-ee mismatch under testing still refuses").testing().tlsa(wrong(3, 1, 1))
                .expect(Action.REFUSE, NONE, DANE_TLSA_MISMATCH));
        l.add(c("dane-ee match under opportunistic").policy("opportunistic").chain(SELF_SIGNED).tlsa(tlsa(3, 1, 1, ss))
                .expect(Action.DELIVER, EE));
        l.add(c("dane: no STARTTLS under opportunistic refuses").policy("opportunistic").noStartTls()
                .tlsa(tlsa(3, 1, 1, ss)).expect(Action.REFUSE, NONE, NO_STARTTLS));
        // DANE-TA(2)
        l.add(c("dane-ta 2 0 1 match").chain(PRIVATE_LEAF, PRIVATE_CA).tlsa(tlsa(2, 0, 1, ca)).expect(Action.DELIVER, TA));
        l.add(c("dane-ta 2 1 1 match").chain(PRIVATE_LEAF, PRIVATE_CA).tlsa(tlsa(2, 1, 1, ca)).expect(Action.DELIVER, TA));
        l.add(c("dane-ta 2 1 2 match").chain(PRIVATE_LEAF, PRIVATE_CA).tlsa(tlsa(2, 1, 2, ca)).expect(Action.DELIVER, TA));
        l.add(c("dane-ta match, leaf names only the recipient domain (RFC 7672 §3.2.2)")
                .chain(PRIVATE_LEAF_DOMAIN_ONLY, PRIVATE_CA).tlsa(tlsa(2, 0, 1, ca)).expect(Action.DELIVER, TA));
        l.add(c("dane-ta match, leaf names neither MX nor domain").chain(PRIVATE_LEAF_WRONG_HOST, PRIVATE_CA)
                .tlsa(tlsa(2, 0, 1, ca)).expect(Action.REFUSE, NONE, BAD_CERT_DOMAIN));
        l.add(c("dane-ta match, expired leaf (dates checked)").chain(PRIVATE_LEAF_EXPIRED, PRIVATE_CA)
                .tlsa(tlsa(2, 0, 1, ca)).expect(Action.REFUSE, NONE, EXPIRED_CERTIFICATE));
        l.add(c("dane-ta match, expired leaf under opportunistic still refuses").policy("opportunistic")
                .chain(PRIVATE_LEAF_EXPIRED, PRIVATE_CA).tlsa(tlsa(2, 0, 1, ca)).expect(Action.REFUSE, NONE, EXPIRED_CERTIFICATE));
        l.add(c("dane-ta match, sha1-signed leaf (signatures count)").chain(PRIVATE_LEAF_SHA1, PRIVATE_CA)
                .tlsa(tlsa(2, 0, 1, ca)).expect(Action.REFUSE, TA, WEAK_SIGNATURE_ALGORITHM));
        l.add(c("dane-ta 2 0 1 mismatch").chain(PRIVATE_LEAF, PRIVATE_CA).tlsa(wrong(2, 0, 1))
                .expect(Action.REFUSE, NONE, DANE_TLSA_MISMATCH, UNKNOWN_ISSUER));
        l.add(c("dane-ta match, anchor not sent").chain(PRIVATE_LEAF).tlsa(tlsa(2, 0, 1, ca))
                .expect(Action.REFUSE, NONE, DANE_TLSA_MISMATCH, UNKNOWN_ISSUER));
        l.add(c("dane-ta match under opportunistic, names neither").policy("opportunistic")
                .chain(PRIVATE_LEAF_WRONG_HOST, PRIVATE_CA).tlsa(tlsa(2, 0, 1, ca)).expect(Action.REFUSE, NONE, BAD_CERT_DOMAIN));
        // TLSA states
        l.add(c("unusable TLSA (PKIX-EE only), good PKIX").tlsa(tlsa(1, 1, 1, GOOD.cert())).expect(Action.DELIVER, PKIX));
        l.add(c("unusable TLSA, opportunistic self-signed: mandatory unauthenticated TLS").policy("opportunistic")
                .chain(SELF_SIGNED).tlsa(tlsa(1, 1, 1, ss)).expect(Action.DELIVER, NONE));
        l.add(c("insecure MX: TLSA ignored, self-signed refused").insecureMx().chain(SELF_SIGNED).tlsa(tlsa(3, 1, 1, ss))
                .expect(Action.REFUSE, NONE, UNKNOWN_ISSUER));
        l.add(c("insecure TLSA (DaneStatus none), good PKIX").dane(new DaneStatus.None("TLSA RRset is insecure"))
                .expect(Action.DELIVER, PKIX));
        l.add(c("TLSA SERVFAIL defers").dane(new DaneStatus.ServFail("SERVFAIL")).expect(Action.DEFER, NONE));
        l.add(c("TLSA SERVFAIL defers under opportunistic").policy("opportunistic").dane(new DaneStatus.ServFail("SERVFAIL"))
                .expect(Action.DEFER, NONE));
        l.add(c("DNSSEC bogus refuses").dane(new DaneStatus.Bogus("RRSIG expired")).expect(Action.REFUSE, NONE, DNSSEC_BOGUS));
        l.add(c("secure NODATA, self-signed refused").chain(SELF_SIGNED).expect(Action.REFUSE, NONE, UNKNOWN_ISSUER));
        // MTA-STS
        l.add(c("mta-sts enforce, listed, good").sts(StsPolicy.Mode.ENFORCE, MX).expect(Action.DELIVER, PKIX));
        l.add(c("mta-sts enforce, wildcard listed, good").sts(StsPolicy.Mode.ENFORCE, "*.example.org").expect(Action.DELIVER, PKIX));
        l.add(c("mta-sts enforce, listed, self-signed, opportunistic still refuses").policy("opportunistic")
                .sts(StsPolicy.Mode.ENFORCE, MX).chain(SELF_SIGNED).expect(Action.REFUSE, NONE, UNKNOWN_ISSUER));
        l.add(c("mta-sts enforce, not listed").sts(StsPolicy.Mode.ENFORCE, "other.example.org")
                .expect(Action.REFUSE, NONE, MX_NOT_IN_STS_POLICY));
        l.add(c("mta-sts testing, not listed, good").sts(StsPolicy.Mode.TESTING, "other.example.org").expect(Action.DELIVER, PKIX));
        l.add(c("mta-sts testing, listed, self-signed, opportunistic").policy("opportunistic")
                .sts(StsPolicy.Mode.TESTING, MX).chain(SELF_SIGNED).expect(Action.DELIVER, NONE));
        l.add(c("mta-sts none, self-signed under bsi").sts(StsPolicy.Mode.NONE, MX).chain(SELF_SIGNED)
                .expect(Action.REFUSE, NONE, UNKNOWN_ISSUER));
        l.add(c("dane wins over mta-sts enforce").sts(StsPolicy.Mode.ENFORCE, MX).chain(SELF_SIGNED).tlsa(tlsa(3, 1, 1, ss))
                .expect(Action.DELIVER, EE));
        // REQUIRETLS and TLS-Required: No
        l.add(c("requiretls, insecure MX, no MTA-STS").insecureMx().requireTls().expect(Action.REFUSE, NONE));
        l.add(c("requiretls, secure MX, opportunistic, self-signed").policy("opportunistic").requireTls().chain(SELF_SIGNED)
                .expect(Action.REFUSE, NONE, UNKNOWN_ISSUER));
        l.add(c("requiretls, insecure MX, mta-sts enforce lists MX, good").insecureMx().requireTls()
                .sts(StsPolicy.Mode.ENFORCE, MX).expect(Action.DELIVER, PKIX));
        l.add(c("TLS-Required: No, self-signed delivered").tlsRequiredNo().chain(SELF_SIGNED).expect(Action.DELIVER, NONE));
        l.add(c("TLS-Required: No ignores DANE mismatch").tlsRequiredNo().tlsa(wrong(3, 1, 1)).expect(Action.DELIVER, PKIX));
        // tr-03108: DNSSEC and DANE required
        l.add(c("tr-03108, insecure MX").policy("tr-03108").insecureMx().expect(Action.REFUSE, NONE, NO_DANE));
        l.add(c("tr-03108, secure MX without TLSA").policy("tr-03108").expect(Action.REFUSE, NONE, NO_DANE));
        l.add(c("tr-03108, dane-ee match").policy("tr-03108").chain(SELF_SIGNED).tlsa(tlsa(3, 1, 1, ss)).expect(Action.DELIVER, EE));
        l.add(c("tr-03108, resolver withholds DNSSEC: could not check, not NO_DANE").policy("tr-03108").withheld()
                .expect(Action.DELIVER, PKIX));
        return l;
    }
}
