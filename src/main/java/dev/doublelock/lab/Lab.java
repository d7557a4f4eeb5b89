package dev.doublelock.lab;

import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.server.SmtpLimits;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.tls.pki.LabPki;

import dev.doublelock.dns.server.AuthoritativeServer;
import dev.doublelock.dns.server.LiveZone;
import dev.doublelock.dns.server.ZoneContent;
import dev.doublelock.dns.server.ZoneKeys;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The running lab: one SMTP endpoint per profile, each with its own SSLContext, all recording into one
 * {@link RecordStore}, and (when configured) the lab's signed DNS zone naming every profile ({@link LabZone}). Start with {@link #start(LabOptions)}; close to stop every listener.
 */
public final class Lab implements AutoCloseable {
    /** A profile's listener once it is bound. */
    public record Running(LabProfile profile, InetSocketAddress address, String hostName) {
        public int port() {
            return address.getPort();
        }
    }

    private final LabOptions options;
    private final RecordStore store;
    private final Map<String, LabPki> pkis;
    private final TlsReportInbox reports;
    private final List<SmtpServer> servers = new ArrayList<>();
    private final List<Running> running = new ArrayList<>();
    private final List<Consumer<SessionRecord>> listeners = new CopyOnWriteArrayList<>();
    private RunningDns dns;
    private AuthoritativeServer dnsServer;
    private InetSocketAddress sniAddress;
    // MTA-STS scenarios (RFC 8461): their MX endpoints and the policy host
    private final List<RunningScenario> scenarios = new ArrayList<>();
    private MtaStsPolicyHost policyHost;

    /** An MTA-STS scenario's MX endpoint once it is bound. */
    public record RunningScenario(MtaStsScenario scenario, InetSocketAddress address) {
        public int port() {
            return address.getPort();
        }
    }

    /**
     * The lab's DNS endpoint once it answers.
     *
     * @param address where it listens, UDP and TCP
     * @param zone    the zone it serves, signed and re-signed before its signatures expire
     * @param warnings names left without an address record, and why
     */
    public record RunningDns(InetSocketAddress address, LiveZone zone, List<String> warnings) {
        public Name origin() {
            return zone.get().origin();
        }

        /** The KSK's DS record (SHA-256): the parent's delegation, and a resolver's trust anchor. */
        public DSRecord ds() {
            return zone.get().ds().orElseThrow();
        }
    }

    private Lab(LabOptions options, RecordStore store, Map<String, LabPki> pkis) {
        this.options = options;
        this.store = store;
        this.pkis = pkis;
        this.reports = new TlsReportInbox(store, Clock.systemUTC());
    }

    /**
     * Relaxes the JDK's legacy-algorithm limits for this process (see {@link LegacyTls}), creates or loads the
     * lab PKI and starts every profile's endpoint.
     */
    public static Lab start(LabOptions options) throws IOException {
        return start(options, java.util.Optional.empty());
    }

    /**
     * As {@link #start(LabOptions)}, with one more listener on {@code sniBind} (when given): good for a sender that
     * sends no server name, and every {@link SniProfiles#selectable} profile for a sender that names its MX host
     * {@code <profile>.<zone>} in the TLS handshake (its certificate made for that name). One port, one address:
     * the lab published on a single IPv4 address.
     */
    public static Lab start(LabOptions options, java.util.Optional<InetSocketAddress> sniBind) throws IOException {
        LegacyTls.relaxForThisProcess();
        RecordStore store = options.jdbcUrl().map(RecordStore::open)
                .orElseGet(() -> RecordStore.openDefault(options.dataDir()));
        Lab lab = new Lab(options, store, new HashMap<>());
        try {
            // every leaf made under the PKI lock at once: 'lab certs' waits for them, never sees half
            Map<String, java.util.Set<dev.doublelock.tls.pki.LabCertificate>> byHost = new java.util.LinkedHashMap<>();
            byHost.computeIfAbsent(options.hostName(), h -> java.util.EnumSet.noneOf(dev.doublelock.tls.pki.LabCertificate.class));
            for (LabProfile p : LabProfile.values()) byHost.get(options.hostName()).add(p.certificate());
            for (LabEndpoint endpoint : options.endpoints()) {
                byHost.computeIfAbsent(endpoint.hostName(), h -> java.util.EnumSet.noneOf(dev.doublelock.tls.pki.LabCertificate.class))
                        .add(endpoint.profile().certificate());
            }
            for (LabProfile p : sniBind.isPresent() ? SniProfiles.selectable() : java.util.Set.<LabProfile>of()) {
                byHost.computeIfAbsent(sniHostName(p, lab.zone()), h -> java.util.EnumSet.noneOf(dev.doublelock.tls.pki.LabCertificate.class))
                        .add(p.certificate());
            }
            // the DANE scenarios' leaves name their MX hosts, so that DANE-TA and PKIX name checks can pass
            options.dns().ifPresent(d -> byHost.keySet().forEach(host ->
                    lab.pki(host).nameMxHosts(LabZone.daneMxNames(d.zone()))));
            byHost.forEach((host, certificates) -> lab.pki(host).prepare(certificates));
            for (LabEndpoint endpoint : options.endpoints()) {
                lab.startEndpoint(endpoint);
            }
            if (sniBind.isPresent()) lab.startSni(sniBind.get());
            if (options.mtaSts().isPresent()) {
                if (options.dns().isEmpty()) {
                    throw new IllegalArgumentException("the MTA-STS scenarios need the lab's DNS: their records are in its zone");
                }
                lab.startMtaSts(options.mtaSts().get(), options.dns().get().zone());
            }
            if (options.dns().isPresent()) lab.startDns(options.dns().get());
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /**
     * The PKI serving a host name; the default host name's PKI lives in {@code DATA/pki}, and every other host name's
     * leaves (in {@code DATA/pki/hosts/NAME}) are issued by its CA, so senders trust one {@code ca.pem} for all.
     */
    public synchronized LabPki pki(String hostName) {
        LabPki cached = pkis.get(hostName);
        if (cached != null) return cached;
        LabPki made = hostName.equals(options.hostName())
                ? LabPki.loadOrCreate(pkiDirectory(options, hostName), hostName)
                : LabPki.loadOrCreate(pkiDirectory(options, hostName), hostName, pki(options.hostName()));
        pkis.put(hostName, made);
        return made;
    }

    static java.nio.file.Path pkiDirectory(LabOptions options, String hostName) {
        java.nio.file.Path base = options.dataDir().resolve("pki");
        return hostName.equals(options.hostName()) ? base : base.resolve("hosts").resolve(hostName);
    }

    private void startEndpoint(LabEndpoint endpoint) throws IOException {
        LabProfile profile = endpoint.profile();
        LabPki pki = pki(endpoint.hostName());
        StartTlsSupport startTls = switch (profile.startTls()) {
            case OFFERED -> new StartTlsSupport.Offered(new ProfileTls(profile, pki.certificate(profile.certificate())));
            case OFFERED_EXECUTES_INJECTED ->
                    new StartTlsSupport.Offered(new ProfileTls(profile, pki.certificate(profile.certificate())), true);
            case OFFERED_INJECTS_RESPONSES ->
                    new StartTlsSupport.Offered(new ProfileTls(profile, pki.certificate(profile.certificate())), false, true);
            case NOT_ADVERTISED -> new StartTlsSupport.NotAdvertised();
            case REFUSED_454 -> new StartTlsSupport.AdvertisedButRefused(Replies.TLS_NOT_AVAILABLE);
        };
        SmtpServer server = startSmtp(endpoint.bind(), endpoint.hostName(), startTls, profile, profile.profileName(),
                "lab profile " + profile.profileName(), "choose another --base-port, or move this profile with --config (profile."
                        + profile.profileName() + ".bind=ADDRESS:PORT)");
        running.add(new Running(profile, server.address(), endpoint.hostName()));
    }

    /** Starts one SMTP listener recording as {@code recordedAs}, with {@code tlsProfile}'s verdict rules. */
    private SmtpServer startSmtp(InetSocketAddress bind, String hostName, StartTlsSupport startTls, LabProfile tlsProfile,
                                 String recordedAs, String what, String remedy) throws IOException {
        SmtpServer server = SmtpServer.builder()
                .bind(bind)
                .hostName(hostName)
                .limits(SmtpLimits.defaults().withIdleTimeout(options.idleTimeout()).withMaxConnections(1000))
                .startTls(startTls)
                .handlerFactory(info -> new SessionRecorder(tlsProfile, recordedAs, info, store, Clock.systemUTC(),
                        this::publish, options.keepBodyBytes(), reports))
                .build();
        try {
            server.start();
        } catch (java.net.BindException e) {
            server.close();
            boolean foreignV6 = bind.getAddress() instanceof java.net.Inet6Address a
                    && !a.isLoopbackAddress() && !a.isAnyLocalAddress()
                    && String.valueOf(e.getMessage()).contains("assign requested address");
            throw new dev.doublelock.io.ListenerBindException(what, bind,
                    foreignV6 ? "no interface has this address: with --ipv6-prefix P/64 the host must accept the /64 "
                            + "(ip -6 route add local P/64 dev lo; sysctl -w net.ipv6.ip_nonlocal_bind=1), see the "
                            + "README's \"Publishing the lab\"" : remedy, e);
        }
        servers.add(server);
        return server;
    }

    /**
     * The MTA-STS scenarios: one SMTP endpoint per scenario MX (the good profile's TLS, with a lab leaf for
     * {@code mx.<domain>}, or a self-signed one where the scenario says so) and the HTTPS policy host.
     */
    private void startMtaSts(MtaStsOptions sts, Name zone) throws IOException {
        LabPki pki = pki(options.hostName());
        for (MtaStsScenario s : MtaStsScenario.values()) {
            String mx = s.mxHost(zone).toString(true);
            dev.doublelock.tls.pki.CertifiedKey key = s.mxCertificate() == MtaStsScenario.MxCertificate.GOOD
                    ? pki.leafFor(mx)
                    : new dev.doublelock.tls.pki.CertificateBuilder().ecdsa("secp256r1").subject("/CN=" + mx).dnsNames(mx).build();
            InetSocketAddress bind = sts.mxBind(s);
            SmtpServer server = startSmtp(bind, mx, new StartTlsSupport.Offered(new ProfileTls(s.tlsProfile(), key)),
                    s.tlsProfile(), s.scenarioName(), "lab MTA-STS scenario " + s.scenarioName(),
                    "choose another --base-port (scenario MX ports are base + " + MtaStsScenario.PORT_OFFSET
                            + " and up), or move it with --config (mta-sts." + s.scenarioName() + ".bind=ADDRESS:PORT)");
            scenarios.add(new RunningScenario(s, server.address()));
        }
        policyHost = MtaStsPolicyHost.start(sts.policyHost(), zone, pki, tlsReports(), Clock.systemUTC());
    }

    /** The MTA-STS scenarios' MX endpoints (empty when the lab runs none). */
    public List<RunningScenario> mtaStsEndpoints() {
        return List.copyOf(scenarios);
    }

    /** The MTA-STS policy host, when the lab runs the scenarios. */
    public java.util.Optional<MtaStsPolicyHost> mtaStsPolicyHost() {
        return java.util.Optional.ofNullable(policyHost);
    }

    /** The lab zone: the DNS's, or the default one's names when the lab serves no DNS. */
    private Name zone() {
        return options.dns().map(LabDnsOptions::zone).orElseGet(() -> Name.fromConstantString(LabZone.DEFAULT_ZONE));
    }

    /** The name a profile's certificate carries on the SNI listener: its mail domain in the lab zone. */
    static String sniHostName(LabProfile profile, Name zone) {
        return LabZone.domain(profile, zone).toString(true);
    }

    private void startSni(InetSocketAddress bind) throws IOException {
        Name zone = zone();
        Map<LabProfile, ProfileTls> tls = new EnumMap<>(LabProfile.class);
        for (LabProfile p : SniProfiles.selectable()) {
            tls.put(p, new ProfileTls(p, pki(sniHostName(p, zone)).certificate(p.certificate())));
        }
        SniTls sniTls = new SniTls(SniProfiles.of(zone), tls);
        SmtpServer server = SmtpServer.builder()
                .bind(bind)
                .hostName(sniHostName(LabProfile.GOOD, zone))
                .limits(SmtpLimits.defaults().withIdleTimeout(options.idleTimeout()).withMaxConnections(1000))
                .startTls(new StartTlsSupport.Offered(sniTls))
                .handlerFactory(info -> SessionRecorder.onSniListener(sniTls, info, store, Clock.systemUTC(), this::publish,
                        options.keepBodyBytes(), reports))
                .build();
        try {
            server.start();
        } catch (java.net.BindException e) {
            server.close();
            throw new dev.doublelock.io.ListenerBindException("lab SNI", bind, "choose another --sni-bind", e);
        }
        servers.add(server);
        sniAddress = server.address();
    }

    /** The SNI listener's address, when the lab runs one. */
    public java.util.Optional<InetSocketAddress> sni() {
        return java.util.Optional.ofNullable(sniAddress);
    }

    private void startDns(LabDnsOptions dnsOptions) throws IOException {
        List<String> warnings = new ArrayList<>();
        Map<LabProfile, InetAddress> addresses = new EnumMap<>(LabProfile.class);
        for (Running r : running) {
            if (r.address().getAddress().isAnyLocalAddress()) {
                warnings.add(LabZone.domain(r.profile(), dnsOptions.zone()) + " has no address record: profile "
                        + r.profile().profileName() + " listens on the wildcard address; bind it to its own address");
            } else {
                addresses.put(r.profile(), r.address().getAddress());
            }
        }
        InetAddress nsAddress = dnsOptions.bind().getAddress();
        List<InetAddress> glue = nsAddress.isAnyLocalAddress() ? List.of() : List.of(nsAddress);
        if (glue.isEmpty()) {
            warnings.add(LabZone.nameServer(dnsOptions.zone()) + " has no address record: the DNS listens on the "
                    + "wildcard address; give --dns-bind its public address");
        }
        Map<LabProfile, LabZone.DaneEndpoint> dane = new EnumMap<>(LabProfile.class);
        for (Running r : running) {
            if (r.profile().dane().isEmpty()) continue;
            dane.put(r.profile(), new LabZone.DaneEndpoint(r.port(),
                    pki(r.hostName()).certificate(r.profile().certificate()).chain()));
        }
        java.util.function.Consumer<dev.doublelock.dns.server.ZoneBuilder> sniRecords = b -> { };
        if (sniAddress != null && sniAddress.getAddress().isAnyLocalAddress()) {
            warnings.add("the SNI listener has no address records: it listens on the wildcard address; give --sni-bind "
                    + "its public address");
        } else if (sniAddress != null) {
            InetAddress sniIp = sniAddress.getAddress();
            sniRecords = b -> SniProfiles.addAddresses(b, sniIp, addresses);
        }
        java.util.function.Consumer<dev.doublelock.dns.server.ZoneBuilder> stsRecords = b -> { };
        if (policyHost != null) {
            Map<MtaStsScenario, InetAddress> mxAddresses = new EnumMap<>(MtaStsScenario.class);
            for (RunningScenario r : scenarios) mxAddresses.put(r.scenario(), r.address().getAddress());
            InetAddress policyAddress = policyHost.address().getAddress();
            if (policyAddress.isAnyLocalAddress() || mxAddresses.values().stream().anyMatch(InetAddress::isAnyLocalAddress)) {
                warnings.add("an MTA-STS scenario's MX or the policy host listens on the wildcard address: its name has "
                        + "no address record; bind it to its own address (--mta-sts-bind, mta-sts.<scenario>.bind)");
            }
            stsRecords = b -> MtaStsZone.addTo(b, dnsOptions.zone(), mxAddresses, policyHost.address());
        }
        // reports by HTTPS go to tlsrpt.<zone> on the policy host, when it runs
        TlsRptRua rua = policyHost == null ? TlsRptRua.mailOnly() : MtaStsZone.rua(policyHost.address());
        java.util.function.Consumer<dev.doublelock.dns.server.ZoneBuilder> more = sniRecords.andThen(stsRecords);
        LabZone.Zones zones = LabZone.build(dnsOptions.zone(), glue, addresses, dane, rua, more);
        ZoneKeys keys = ZoneKeys.loadOrCreate(LabZone.keyDirectory(options.dataDir(), dnsOptions.zone()));
        LiveZone zone = LiveZone.signed(zones.parent(), keys, Clock.systemUTC());
        List<java.util.function.Supplier<dev.doublelock.dns.server.ServedZone>> served = new ArrayList<>();
        served.add(zone);
        for (ZoneContent child : zones.unsignedChildren()) served.add(LiveZone.unsigned(child));
        AuthoritativeServer server;
        try {
            server = AuthoritativeServer.start(dnsOptions.bind(), served, dnsOptions.limits());
        } catch (java.net.BindException e) {
            throw new dev.doublelock.io.ListenerBindException("lab DNS", dnsOptions.bind(),
                    "choose another --dns-port (-1 turns the lab's DNS off)", e);
        }
        dnsServer = server;
        dns = new RunningDns(server.address(), zone, List.copyOf(warnings));
    }

    /** The lab's DNS endpoint, when it runs one. */
    public java.util.Optional<RunningDns> dns() {
        return java.util.Optional.ofNullable(dns);
    }

    /** Its counters (queries, refused, rate-limited…), when it runs one. */
    public java.util.Optional<AuthoritativeServer.Stats> dnsStats() {
        return java.util.Optional.ofNullable(dnsServer).map(AuthoritativeServer::stats);
    }

    private void publish(SessionRecord record) {
        for (Consumer<SessionRecord> l : listeners) {
            try {
                l.accept(record);
            } catch (RuntimeException ignored) {
                // a broken listener must not break recording
            }
        }
    }

    /** Called for every stored session record (the web page's live updates use this). */
    public void addListener(Consumer<SessionRecord> listener) {
        listeners.add(listener);
    }

    public List<Running> endpoints() {
        return List.copyOf(running);
    }

    public Running endpoint(LabProfile profile) {
        return running.stream().filter(r -> r.profile() == profile).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("profile not running: " + profile));
    }

    public RecordStore records() {
        return store;
    }

    /** Where TLS reports sent to the lab go (mail to tlsrpt@, POSTs to tlsrpt.<zone> on the policy host and to the web's /tlsrpt). */
    public TlsReportInbox tlsReports() {
        return reports;
    }

    public LabOptions options() {
        return options;
    }

    @Override
    public void close() {
        if (dnsServer != null) dnsServer.close();
        if (policyHost != null) policyHost.close();
        for (SmtpServer s : servers) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // keep closing the others
            }
        }
        store.close();
    }
}
