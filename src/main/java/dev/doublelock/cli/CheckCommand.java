package dev.doublelock.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import dev.doublelock.check.BatchRunner;
import dev.doublelock.check.CheckOptions;
import dev.doublelock.check.CheckRunner;
import dev.doublelock.check.HtmlReport;
import dev.doublelock.check.JsonReport;
import dev.doublelock.check.Target;
import dev.doublelock.check.TextReport;
import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.DnsjavaResolverBuilder;
import dev.doublelock.dns.LazyResolver;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TrustAnchors;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.Policy;
import dev.doublelock.policy.PolicyException;
import dev.doublelock.policy.mtasts.InMemoryStsCache;
import dev.doublelock.policy.mtasts.StsFetcher;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.pki.Pem;
import dev.doublelock.tls.probe.ProbeOptions;
import dev.doublelock.tls.probe.ProbeTarget;
import dev.doublelock.tls.probe.TlsProber;
import dev.doublelock.tls.probe.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code doublelock check TARGET…}: does a domain's (or endpoint's) receiving side meet the TLS policy? */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks the receiving side of mail domains (MX lookup, DNSSEC, DANE, MTA-STS, TLS-RPT, then every "
                + "MX host over SMTP STARTTLS) or single endpoints (HOST:PORT, smtps://HOST:465, tls://HOST:PORT) against a TLS "
                + "policy.",
                "Exit codes: 0 compliant, 1 findings of severity FAIL, 2 could not check (or bad usage)."},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 2)
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = "a mail domain (example.org, IDN allowed) or an endpoint (mx.example.org:25, 192.0.2.1:25, "
                    + "[2001:db8::1]:25; smtps://mx.example.org:465 for implicit TLS, tls://192.0.2.1:443 for plain TLS)")
    List<String> targets = new ArrayList<>();

    @Option(names = "--json", description = "one JSON object per target, one per line (schema: docs/check-json-schema.json)")
    boolean json;

    @Option(names = "--policy", paramLabel = "NAME|FILE", defaultValue = Policies.DEFAULT,
            description = "built-in policy (see 'policy list') or a policy file (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--year", paramLabel = "Y", description = "judge BSI 'use until' dates for this year (default: this year)")
    Integer year;

    @Option(names = "--trust", paramLabel = "PEM", description = "trust the CA certificates in this PEM file in addition to the JDK's")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--name", paramLabel = "MXNAME", description = "the name every certificate must carry (default: the MX host or endpoint host)")
    String name;

    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "DNS server to ask (an IP address; default: the system's)")
    String resolver;

    @Option(names = "--batch", paramLabel = "FILE", description = "read targets from FILE, one per line ('#' comments); JSON Lines out")
    Path batch;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "targets checked at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--html", paramLabel = "FILE", description = "also write one self-contained HTML page")
    Path html;

    @Option(names = "--smtp-port", paramLabel = "N", defaultValue = "25",
            description = "port MX hosts are probed on (default: ${DEFAULT-VALUE}; other values are for labs and tests)")
    int smtpPort;

    @Option(names = "--dnssec-anchor", paramLabel = "FILE",
            description = "DS/DNSKEY records to validate DNSSEC from instead of the IANA root (for test zones)")
    Path dnssecAnchor;

    @Option(names = {"--max-conn", "--connections-per-host"}, paramLabel = "N", defaultValue = "4",
            description = "at most N connections open at once to one IP address (default: ${DEFAULT-VALUE}); when a server "
                    + "answers 421/450 or refuses connections mid-scan, the prober lowers this for that address and "
                    + "retries with backoff; what still cannot be done is reported untested (the check is incomplete)")
    int connectionsPerHost;

    @Option(names = "--starttls", paramLabel = "smtp|none",
            description = "how TLS starts on endpoints that do not say so themselves: 'smtp' (default: EHLO, STARTTLS, "
                    + "RFC 3207) or 'none' (TLS from the first byte, no application protocol, for any TLS port)")
    String starttls;

    @Option(names = "--implicit-tls",
            description = "SMTP over implicit TLS (RFC 8314, port 465): TLS from the first byte; MX hosts of domain targets "
                    + "are then probed on port 465 unless --smtp-port says otherwise. Per target: smtps://HOST[:PORT] "
                    + "(implicit TLS), tls://HOST:PORT (like --starttls none), smtp://HOST[:PORT] (STARTTLS)")
    boolean implicitTls;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "connect and read timeout per connection (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--ehlo-name", paramLabel = "NAME", defaultValue = ProbeTarget.DEFAULT_EHLO_NAME,
            description = "the name the prober gives in EHLO (default: ${DEFAULT-VALUE}); the lab keeps sessions of a "
                    + "name whose first label is '" + ProbeTarget.PROBE_LABEL + "' that send no mail out of its results")
    String ehloName;

    @Option(names = "--no-vulnerabilities",
            description = "skip the vulnerability probes (SSL 2.0/DROWN, TLS_FALLBACK_SCSV, client-initiated renegotiation, "
                    + "Heartbleed, CCS injection, STARTTLS command injection): a few connections less per endpoint, no "
                    + "vulnerability facts in the report")
    boolean noVulnerabilities;

    @Option(names = "--no-probe-reuse",
            description = "probe every MX host of every target, even where another MX name or target already had the same "
                    + "address probed in this run (by default each address:port is probed once and every MX name on it is "
                    + "judged against that probe; a server that picks its certificate by SNI shows the first name's)")
    boolean noProbeReuse;

    /**
     * Started by {@link Main} before the command line is parsed, for {@code check} only: loads Jackson with the
     * default policy and the JDK's trust store on a second core while picocli reads the options — about a tenth of a
     * one-endpoint check's time. Only an optimisation: every result is computed again where it is needed.
     */
    static void warmUp() {
        Thread.ofPlatform().daemon().name("check-warm-up").start(() -> {
            try {
                Policies.builtIn(Policies.DEFAULT);
                javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                f.init((java.security.KeyStore) null);
            } catch (RuntimeException | java.security.GeneralSecurityException ignored) {
                // the command itself reports what fails
            }
        });
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            CheckRunner runner = runner();
            List<String> given = new ArrayList<>(targets);
            if (given.isEmpty() && batch == null) {
                err.println("check: give at least one TARGET (a domain or HOST:PORT) or --batch FILE; see 'check --help'");
                return 2;
            }
            for (String t : given) {
                Target.parse(t); // bad targets fail before any network traffic
            }
            return run(runner, given, out, err);
        } catch (PolicyException | IllegalArgumentException e) {
            err.println("check: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("check: " + e.getMessage());
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(CheckRunner runner, List<String> given, PrintWriter out, PrintWriter err) throws IOException {
        boolean jsonLines = json || batch != null;
        TextReport text = new TextReport(TextReport.colourWanted());
        boolean progress = System.console() != null;
        AtomicInteger done = new AtomicInteger();
        try (Writer htmlOut = html == null ? Writer.nullWriter() : Files.newBufferedWriter(html, StandardCharsets.UTF_8);
             BufferedReader batchIn = batch == null ? null : openBatch()) {
            HtmlReport page = new HtmlReport(htmlOut);
            page.begin();
            Iterator<String> all = concat(given.iterator(), batchIn == null ? null : BatchRunner.lines(batchIn));
            BatchRunner.Summary summary = new BatchRunner(runner, concurrency).run(all, outcome -> {
                switch (outcome) {
                    case BatchRunner.Outcome.Checked c -> {
                        out.println(jsonLines ? JsonReport.line(c.report()) : text.render(c.report()));
                        page.section(c.index(), c.report()); // the page restores input order at the end
                    }
                    case BatchRunner.Outcome.Rejected r -> {
                        err.println("check: skipped '" + r.line() + "': " + r.reason());
                        if (jsonLines) out.println(JsonReport.rejectedLine(r.line(), r.reason(), runner.policy().name()));
                        page.skipped(r.index(), r.line(), r.reason());
                    }
                }
                out.flush();
                if (progress) err.print("\rchecked " + done.incrementAndGet() + " target(s) ");
                err.flush();
            });
            page.end();
            if (progress) err.println();
            if (html != null) err.println("check: HTML report written to " + html);
            if (summary.total() > 1) {
                err.printf("check: %d target(s): %d compliant, %d non-compliant, %d incomplete, %d skipped%n",
                        summary.total(), summary.compliant(), summary.nonCompliant(), summary.incomplete(), summary.rejected());
                CheckRunner.ProbeCount probes = runner.probeCount();
                if (probes.reused() > 0) {
                    err.printf("check: %d endpoint(s) probed; %d MX host check(s) reused the probe of an address already "
                            + "probed (--no-probe-reuse to probe each one)%n", probes.probed(), probes.reused());
                }
            }
            return summary.exitCode();
        }
    }

    private BufferedReader openBatch() throws IOException {
        if (!Files.isReadable(batch)) throw new IOException("cannot read --batch file " + batch + ": no such readable file");
        return Files.newBufferedReader(batch, StandardCharsets.UTF_8);
    }

    private static Iterator<String> concat(Iterator<String> a, Iterator<String> b) {
        if (b == null) return a;
        return new Iterator<>() {
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            public String next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    private CheckRunner runner() throws IOException {
        Policy p = Policies.resolve(policy);
        Transport transport = transport();
        if (transport == Transport.IMPLICIT_TLS && !spec.commandLine().getParseResult().hasMatchedOption("--smtp-port")) {
            smtpPort = 465;
        }
        if (connectionsPerHost < 1) throw new IllegalArgumentException("--max-conn must be at least 1, got " + connectionsPerHost);
        if (smtpPort < 1 || smtpPort > 65535) throw new IllegalArgumentException("--smtp-port must be 1..65535, got " + smtpPort);
        if (timeoutSeconds < 1) throw new IllegalArgumentException("--timeout must be at least 1 second");
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path pem : trust) {
            if (!Files.isReadable(pem)) {
                throw new IOException("cannot read --trust file " + pem + ": no such readable file; give a PEM file with "
                        + "the CA certificate(s) to trust, e.g. from 'doublelock lab certs --out DIR' (DIR/ca.pem)");
            }
            anchors.addAll(Pem.readCertificates(pem));
        }
        DnsjavaResolverBuilder dns = DnsjavaResolver.builder().mxOrder(MxOrder.stable());
        if (resolver != null) dns.server(resolver);
        if (dnssecAnchor != null) {
            if (!Files.isReadable(dnssecAnchor)) throw new IOException("cannot read --dnssec-anchor file " + dnssecAnchor);
            dns.trustAnchors(TrustAnchors.fromFile(dnssecAnchor));
        }
        MailResolver mail = new LazyResolver(dns::build); // HOST:PORT targets with IP literals need no DNS
        Clock clock = Clock.systemUTC();
        int y = year != null ? year : clock.instant().atZone(ZoneOffset.UTC).getYear();
        Duration t = Duration.ofSeconds(timeoutSeconds);
        ProbeOptions probe = new ProbeOptions(t, t, connectionsPerHost, EnumSet.allOf(TlsVersion.class), true, true,
                Duration.ofMinutes(3), ehloName, transport, !noVulnerabilities);
        CheckOptions options = new CheckOptions(y, anchors, Optional.ofNullable(name), smtpPort, probe, clock,
                noProbeReuse ? 0 : CheckOptions.DEFAULT_PROBE_REUSE);
        // the policy host is found through the same resolver as everything else the checker asks (--resolver)
        StsLookup sts = new StsLookup(mail, () -> StsFetcher.resolvingThrough(StsFetcher.PolicyHostAddresses.from(mail), t),
                new InMemoryStsCache(), clock);
        return new CheckRunner(mail, new TlsProber(probe), p, options, sts);
    }

    /** The transport of targets without a scheme, from --starttls and --implicit-tls. */
    private Transport transport() {
        if (implicitTls && starttls != null) {
            throw new IllegalArgumentException("give either --implicit-tls or --starttls, not both");
        }
        if (implicitTls) return Transport.IMPLICIT_TLS;
        if (starttls == null) return Transport.SMTP_STARTTLS;
        return switch (starttls.toLowerCase(java.util.Locale.ROOT)) {
            case "smtp" -> Transport.SMTP_STARTTLS;
            case "none" -> Transport.PLAIN_TLS;
            default -> throw new IllegalArgumentException("--starttls takes 'smtp' or 'none', got '" + starttls
                    + "' (for implicit TLS on port 465 give --implicit-tls)");
        };
    }

    /** Runs {@code check} alone (before it is registered in {@link Main}, and for the benchmark). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CheckCommand()).execute(args));
    }

    /** Lets tests and the integrator run this command alone. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new CheckCommand()).setOut(out).setErr(err).execute(args);
    }
}
