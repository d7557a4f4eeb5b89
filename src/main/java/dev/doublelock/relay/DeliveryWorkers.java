package dev.doublelock.relay;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.relay.delivery.DeliveryOptions;
import dev.doublelock.relay.delivery.DeliveryWorker;
import dev.doublelock.relay.delivery.PolicyMap;
import dev.doublelock.relay.delivery.Router;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.tls.pki.Pem;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The production delivery engine: a {@link DeliveryWorker} built from the relay's configuration. */
public final class DeliveryWorkers implements DeliveryEngineFactory {
    /** dnsjava's setting for the resolver to use instead of the system's (HOST:PORT, comma-separated). */
    static final String DNS_SERVER_PROPERTY = "dns.server";

    @Override
    public DeliveryEngine create(QueueStore store, RelayOptions options) {
        DeliverySettings settings = options.delivery();
        PolicyMap policies = new PolicyMap(settings.defaultPolicy(), settings.domainPolicies(),
                settings.policyMode());
        List<X509Certificate> anchors = trustAnchors(settings);
        DeliveryOptions delivery = DeliveryOptions.defaults(options.hostName())
                .withPolicies(policies)
                .withTrust(anchors, true)
                .withDeliveryLog(Optional.of(options.dataDir().resolve("delivery.log")))
                .withPostmasterAddress("postmaster@" + options.hostName())
                .withConcurrency(settings.tuning().concurrency(), settings.tuning().perDestinationConcurrency())
                .withLease(settings.tuning().lease())
                .withPollInterval(settings.tuning().pollInterval())
                .withConnectionCacheTime(settings.tuning().connectionCacheTime())
                .withSchedule(settings.tuning().schedule());
        FirstUseResolver dns = new FirstUseResolver(options.dns().build());
        Router router = new Router(Optional.of(dns), settings.routes());
        DeliveryWorker worker = new DeliveryWorker(store, router, delivery, Dialer.direct(), Clock.systemUTC());
        TlsReportConfig rpt = options.tlsReports();
        java.util.Optional<dev.doublelock.relay.delivery.TlsReportSchedule> reports = rpt.enabled()
                ? java.util.Optional.of(new dev.doublelock.relay.delivery.TlsReportSchedule(
                        tlsReportSender(store, dns, options, delivery.nodeId()), Clock.systemUTC(), new java.util.Random()))
                : java.util.Optional.empty();
        return new DeliveryEngine() {
            @Override
            public void start() {
                worker.start();
            }

            /**
             * Also probes the resolver once for DNSSEC support (a resolver that withholds it is announced loudly):
             * right away when one is configured (dnsjava's {@code dns.server} property), else at the first DNS lookup, so
             * that a relay with static routes only never asks the system's resolver anything.
             */
            @Override
            public void start(java.util.function.Consumer<String> notices) {
                worker.start();
                reports.ifPresent(r -> {
                    r.start();
                    notices.accept("TLS reports (RFC 8460): sent daily after 00:10 UTC for the day before, "
                            + (rpt.dkimKey().isPresent() ? "DKIM-signed (d=" + rpt.dkimDomain() + ", s=" + rpt.dkimSelector() + ")"
                            : "UNSIGNED: give tlsrpt.dkim.key so receivers can trust them"));
                });
                if (options.dns().server().isPresent() || System.getProperty(DNS_SERVER_PROPERTY) != null) {
                    worker.probeResolverDnssec(notices);
                } else {
                    dns.onFirstUse(() -> worker.probeResolverDnssec(notices));
                }
            }

            @Override
            public void wake() {
                worker.wake();
            }

            @Override
            public void close() {
                reports.ifPresent(dev.doublelock.relay.delivery.TlsReportSchedule::close);
                worker.close();
            }

            @Override
            public java.util.List<io.prometheus.metrics.model.registry.Collector> collectors() {
                return worker.metrics().collectors();
            }

            @Override
            public String prometheusText() {
                return "";
            }
        };
    }

    /** The TLS report sender a relay with {@code options} uses (also {@code doublelock tlsrpt send}). */
    public static dev.doublelock.relay.delivery.TlsReportSender tlsReportSender(QueueStore store,
            dev.doublelock.dns.MailResolver resolver, RelayOptions options, String nodeId) {
        TlsReportConfig rpt = options.tlsReports();
        java.util.Optional<dev.doublelock.dkim.DkimSigner> dkim = rpt.dkimKey().map(k ->
                new dev.doublelock.dkim.DkimSigner(rpt.dkimDomain(), rpt.dkimSelector(), Pem.readPrivateKey(k)));
        var settings = new dev.doublelock.relay.delivery.TlsReportSender.TlsReportSettings(rpt.organizationName(),
                rpt.contact(), options.hostName(), "tlsrpt-noreply@" + options.hostName(), dkim);
        return new dev.doublelock.relay.delivery.TlsReportSender(store, resolver, settings,
                dev.doublelock.relay.delivery.TlsReportSender.httpsTrust(trustAnchors(options.delivery()), true),
                Clock.systemUTC(), nodeId);
    }

    /** The CA certificates the relay trusts besides the JDK's (delivery {@code trust} files). */
    private static List<X509Certificate> trustAnchors(DeliverySettings settings) {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path pem : settings.trustFiles()) {
            anchors.addAll(Pem.readCertificates(pem));
        }
        return anchors;
    }
}
