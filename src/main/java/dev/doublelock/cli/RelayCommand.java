package dev.doublelock.cli;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.relay.DeliveryEngine;
import dev.doublelock.relay.DeliveryEngineFactory;
import dev.doublelock.relay.Relay;
import dev.doublelock.relay.RelayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code doublelock relay [--config FILE]}: runs the relay until Ctrl-C, then shuts down gracefully. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Runs the policy-enforcing relay: accepts mail on the submission port (STARTTLS, then AUTH) "
                + "and the relay port (allow-listed networks), queues it durably before answering 250, and delivers "
                + "it only over TLS that meets the policy (default: bsi). Runs until stopped (Ctrl-C).",
                "Without --config every default applies (loopback only; see docs/relay-config.md)."},
        subcommands = {RelayHashPasswordCommand.class, RelayImpactCommand.class})
public final class RelayCommand implements Callable<Integer> {
    /**
     * Makes the delivery engine: the production {@link dev.doublelock.relay.DeliveryWorkers}; tests may swap in
     * {@link #QUEUE_ONLY_FACTORY}, which only accepts and queues mail.
     */
    static final DeliveryEngineFactory QUEUE_ONLY_FACTORY = (store, options) -> DeliveryEngine.QUEUE_ONLY;
    static DeliveryEngineFactory deliveryEngines = new dev.doublelock.relay.DeliveryWorkers();

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "relay config file (JSON; see relay.example.json)")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (queue, certificate, delivery log); "
            + "wins over the config's dataDir (default: $" + DataLocation.ENV + ", else /var/lib/doublelock when "
            + "writable, else ./doublelock-data)")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
        try {
            return serve();
        } catch (IOException | RuntimeException e) {
            return ExitCodes.report(spec, e);
        }
    }

    private int serve() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path shared = DataLocation.of(data).dir();
        RelayOptions configured = config == null ? RelayConfig.defaults(shared) : RelayConfig.read(config, shared);
        RelayOptions options = configured.withDataDir(data != null ? shared : configured.dataDir().toAbsolutePath().normalize());
        Relay relay = Relay.start(options, deliveryEngines, line -> {
            err.println(java.time.OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " " + line);
            err.flush();
        });
        if (deliveryEngines == QUEUE_ONLY_FACTORY) {
            err.println("relay: warning: this build has no delivery engine wired in; mail is accepted and queued only");
            err.flush();
        }
        out.println("relay: data " + options.dataDir());
        out.println("relay: queue " + relay.store().describe());
        if (deliveryEngines != QUEUE_ONLY_FACTORY) {
            out.println("relay: delivery log (JSON lines) " + options.dataDir().resolve("delivery.log"));
        }
        relay.submissionAddress().ifPresent(a -> out.println("relay: submission (STARTTLS, AUTH) on " + hostPort(a)));
        relay.relayAddress().ifPresent(a -> out.println("relay: relay for " + options.allowedNetworks().networks()
                + " on " + hostPort(a)));
        relay.metricsAddress().ifPresent(a -> out.println("relay: metrics at http://" + hostPort(a) + "/metrics"));
        relay.pageAddress().ifPresent(a -> out.println("relay: page at http://" + hostPort(a) + "/"));
        out.println("relay: policy " + options.delivery().defaultPolicy() + " (" + options.delivery().mode()
                + "); stop with Ctrl-C");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            stopped.countDown();
        }, "relay-shutdown"));
        stopped.await();
        return 0;
    }

    static String hostPort(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
