package dev.doublelock.packaging;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.relay.RelayOptions;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.smtp.server.SmtpLimits;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.testing.Command;
import dev.doublelock.testing.RawSmtpClient;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Debian package as an operator gets it: built by {@code packaging/build-deb.sh} from the jar Maven just
 * made, installed with {@code apt-get install ./doublelock_VERSION_all.deb}, the relay started the way
 * {@code doublelock-relay.service} starts it (its {@code ExecStart=} and {@code Environment=} lines, read from the
 * installed unit, run as the {@code doublelock} user with a clean environment: systemd is not PID 1 in CI), one
 * message submitted to its relay listener and delivered over verified TLS to a loopback receiver, the relay
 * stopped with SIGTERM, then {@code apt-get purge}: user, group, configuration and state must be gone.
 *
 * <p>Changes the machine (a package, a system user), so it runs only as root with dpkg-deb, apt-get and setpriv,
 * and never where doublelock is already installed. A failsafe test: it needs {@code target/doublelock.jar}.
 */
@Timeout(300)
class DebianPackageIT {
    private static final Pattern RELAY_LINE = Pattern.compile("^relay: relay for .* on (\\S+):(\\d+)$");
    private static final Path UNIT = Path.of("/usr/lib/systemd/system/doublelock-relay.service");
    private static final Path LAB_UNIT = Path.of("/usr/lib/systemd/system/doublelock-lab.service");
    private static final Path CONFIG = Path.of("/etc/doublelock/relay.json");
    private static final Path TEST_CA = Path.of("/etc/doublelock/package-test-ca.pem");
    private static final String DOMAIN = "package.test";
    /** The PATH systemd gives services; `java` there is whatever the machine's default is (17 on Debian 12). */
    private static final String SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path dir;

    @Test
    void installedRelayDeliversOneMessageAndPurgeRemovesEverything() throws Exception {
        assumeMachineCanInstallPackages();
        Path jar = Path.of(System.getProperty("doublelock.jar", "target/doublelock.jar"));
        assumeTrue(Files.isRegularFile(jar), "no " + jar + ": run through mvn verify (after the package phase)");
        Instant began = Instant.now();

        Command.Result built = Command.run(List.of("sh", Path.of("packaging/build-deb.sh").toAbsolutePath().toString(),
                jar.toString(), System.getProperty("doublelock.version", "0.1.0-SNAPSHOT"), dir.toString()), null, 120);
        assertThat(built.exitCode()).as(built.output()).isZero();
        Path deb = Path.of(built.output().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(deb.getFileName().toString()).matches("doublelock_[0-9][^_]*_all\\.deb");
        Command.Result info = Command.run(List.of("dpkg-deb", "--field", deb.toString(), "Package", "Architecture"), null, 30);
        assertThat(info.output()).contains("Package: doublelock").contains("Architecture: all");

        try {
            Command.Result install = apt("install", "-y", deb.toString());
            assertThat(install.exitCode()).as(install.output()).isZero();
            assertInstalledLayout();
            deliverThroughInstalledRelay();
        } finally {
            Files.deleteIfExists(TEST_CA);
            Command.Result purge = apt("purge", "-y", "doublelock");
            assertThat(purge.exitCode()).as(purge.output()).isZero();
        }
        assertPurged();
        System.out.printf("DebianPackageIT: %s built, installed, delivered through, purged in %d s%n",
                deb.getFileName(), Duration.between(began, Instant.now()).toSeconds());
    }

    private static void assumeMachineCanInstallPackages() throws Exception {
        assumeTrue(Command.exists("dpkg-deb") && Command.exists("apt-get") && Command.exists("setpriv"),
                "needs dpkg-deb, apt-get and setpriv (a Debian-like system)");
        Command.Result id = Command.run(List.of("id", "-u"), null, 10);
        assumeTrue(id.output().strip().equals("0"), "installs a package: runs only as root (CI runs as root)");
        Command.Result status = Command.run(List.of("dpkg-query", "-W", "-f=${Status}", "doublelock"), null, 30);
        assumeTrue(!status.output().contains("installed") || status.output().contains("not-installed"),
                "doublelock is installed on this machine already (" + status.output().strip()
                        + "); this test would replace and purge it: apt-get purge doublelock to run it");
        assumeTrue(Command.run(List.of("getent", "passwd", "doublelock"), null, 10).exitCode() != 0,
                "a user 'doublelock' exists already; the test would delete it on purge");
    }

    private static Command.Result apt(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get",
                "-o", "DPkg::Lock::Timeout=120", "-q"));
        command.addAll(List.of(args));
        return Command.run(command, null, 280);
    }

    /** What the package put where: the wrapper, the jar, both units, the conffiles, a system user, the state dir. */
    private static void assertInstalledLayout() throws Exception {
        assertThat(Path.of("/usr/bin/doublelock")).isExecutable();
        assertThat(Path.of("/usr/share/doublelock/doublelock.jar")).isRegularFile();
        assertThat(Path.of("/usr/share/doc/doublelock/relay-config.md")).isRegularFile();
        Command.Result user = Command.run(List.of("getent", "passwd", "doublelock"), null, 10);
        assertThat(user.exitCode()).isZero();
        String[] fields = user.output().strip().split(":");
        assertThat(Integer.parseInt(fields[2])).as("a system user's uid").isLessThan(1000);
        assertThat(fields[5]).isEqualTo("/var/lib/doublelock");
        assertThat(fields[6]).as("no login shell").endsWith("nologin");
        assertThat(owner(Path.of("/var/lib/doublelock"))).isEqualTo("doublelock:doublelock");
        assertThat(owner(Path.of("/var/lib/doublelock/relay"))).isEqualTo("doublelock:doublelock");
        assertThat(owner(CONFIG)).as("the config may hold password hashes").isEqualTo("root:doublelock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(CONFIG))).isEqualTo("rw-r-----");
        Command.Result conffiles = Command.run(List.of("dpkg-query", "--showformat=${Conffiles}", "-W", "doublelock"), null, 30);
        assertThat(conffiles.output()).contains("/etc/doublelock/relay.json").contains("/etc/doublelock/lab.env");

        // the shipped relay.json is valid, keeps its state under /var/lib/doublelock and listens on loopback only
        RelayOptions shipped = RelayConfig.read(CONFIG);
        assertThat(shipped.dataDir()).isEqualTo(Path.of("/var/lib/doublelock/relay"));
        for (Optional<InetSocketAddress> listener : List.of(shipped.submission(), shipped.relay(), shipped.metrics())) {
            assertThat(listener).hasValueSatisfying(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
        }

        for (Path unit : List.of(UNIT, LAB_UNIT)) {
            String text = Files.readString(unit);
            assertThat(text).contains("User=doublelock", "Environment=DOUBLELOCK_DATA=/var/lib/doublelock",
                    "StateDirectory=doublelock", "ConfigurationDirectory=doublelock", "NoNewPrivileges=yes",
                    "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "ReadWritePaths=/var/lib/doublelock");
        }
        assertThat(Files.readString(LAB_UNIT)).contains("--data /var/lib/doublelock/lab");
        if (Command.exists("systemd-analyze")) {
            Command.Result verify = Command.run(List.of("systemd-analyze", "verify", UNIT.toString(), LAB_UNIT.toString()), null, 60);
            assertThat(verify.exitCode()).as("systemd-analyze verify: %s", verify.output()).isZero();
        }
    }

    /** The relay unit's command, as the doublelock user, relaying one message to a loopback receiver over TLS. */
    private void deliverThroughInstalledRelay() throws Exception {
        CertifiedKey ca = new CertificateBuilder().subject("CN=doublelock package test CA").certificateAuthority(0).build();
        CertifiedKey leaf = new CertificateBuilder().dnsNames("localhost").ipAddresses("127.0.0.1")
                .issuer(ca).build();
        try (Receiver receiver = new Receiver(leaf.withChain(List.of(leaf.leaf(), ca.leaf())))) {
            Files.writeString(TEST_CA, Pem.encode(ca.leaf()));
            // the unit's --config file, replaced by one that listens on a free port and routes DOMAIN to the receiver
            // (by address: the relay resolves names with DNSSEC through the system resolver, never /etc/hosts)
            Files.writeString(CONFIG, """
                    {"dataDir": "/var/lib/doublelock/relay", "hostName": "relay.package.test",
                     "submission": {"listen": "off"}, "metrics": {"listen": "off"},
                     "relay": {"listen": "127.0.0.1:0", "allowedNetworks": ["127.0.0.0/8"]},
                     "policy": {"default": "bsi", "mode": "enforce", "trust": ["%s"]},
                     "routes": {"%s": ["[127.0.0.1]:%d"]},
                     "delivery": {"pollIntervalMillis": 200}}
                    """.formatted(TEST_CA, DOMAIN, receiver.port()));

            List<String> command = serviceCommand(Files.readString(UNIT));
            Process relay = new ProcessBuilder(command).redirectErrorStream(true).start();
            Deque<String> output = new ArrayDeque<>();
            CompletableFuture<InetSocketAddress> bound = readOutput(relay, output);
            try {
                InetSocketAddress listener;
                try {
                    listener = bound.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("the installed relay did not start (" + e + "): " + command + "\n" + lines(output));
                }
                String messageId = "package-" + System.nanoTime() + "@package.test";
                assertThat(submit(listener, messageId, "postmaster@" + DOMAIN)).as("250 to the end of DATA").isEqualTo(250);

                ReceivedMessage got = receiver.await(Duration.ofSeconds(30));
                assertThat(got).as("the receiver got the message; relay said:%n%s", lines(output)).isNotNull();
                assertThat(got.recipients()).extracting(MailPath::toWire).containsExactly("<postmaster@" + DOMAIN + ">");
                assertThat(new String(got.content(), StandardCharsets.UTF_8)).contains("Message-ID: <" + messageId + ">");
                assertThat(got.receivedOverTls()).as("delivered over STARTTLS").isTrue();
                assertThat(owner(Path.of("/var/lib/doublelock/relay/queue.db"))).isEqualTo("doublelock:doublelock");
            } finally {
                relay.destroy(); // SIGTERM, as systemctl stop sends it
                boolean exited = relay.waitFor(60, TimeUnit.SECONDS);
                if (!exited) relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                assertThat(exited).as("the relay stops on SIGTERM").isTrue();
            }
            assertThat(relay.exitValue()).as("exit status on SIGTERM (the unit's SuccessExitStatus=143)").isIn(0, 143);
        }
    }

    /**
     * {@code setpriv} as User=/Group= (it execs, so SIGTERM reaches the JVM: the wrapper execs java too), then
     * {@code env -i} with the service PATH and the unit's Environment= lines, then the ExecStart= words.
     */
    static List<String> serviceCommand(String unit) {
        List<String> env = new ArrayList<>();
        String execStart = null;
        for (String line : unit.lines().map(String::strip).toList()) {
            if (line.startsWith("Environment=")) env.add(line.substring("Environment=".length()));
            if (line.startsWith("ExecStart=")) execStart = line.substring("ExecStart=".length());
        }
        assertThat(execStart).as("ExecStart= in the unit").isNotNull();
        assertThat(execStart).as("no variables or quoting to expand").doesNotContain("$", "\"", "'", "\\");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=doublelock", "--regid=doublelock",
                "--init-groups", "--", "env", "-i", "PATH=" + SERVICE_PATH));
        command.addAll(env);
        command.addAll(List.of(execStart.split("\\s+")));
        return command;
    }

    private static CompletableFuture<InetSocketAddress> readOutput(Process p, Deque<String> output) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().name("installed-relay-output").start(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > 200) output.removeFirst();
                    }
                    Matcher m = RELAY_LINE.matcher(line);
                    if (m.matches()) bound.complete(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            bound.completeExceptionally(new IOException("the relay exited"));
        });
        return bound;
    }

    private static String lines(Deque<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** One message over the relay listener (no AUTH: loopback is in allowedNetworks); the reply code to DATA's end. */
    private static int submit(InetSocketAddress relay, String messageId, String to) throws IOException {
        try (RawSmtpClient c = new RawSmtpClient(relay)) {
            assertThat(RawSmtpClient.code(c.reply())).isEqualTo(220);
            assertThat(RawSmtpClient.code(c.command("EHLO client.package.test"))).isEqualTo(250);
            int code = c.deliver("sender@package.test", to, "From: <sender@package.test>\r\nTo: <" + to
                    + ">\r\nSubject: through the installed relay\r\nMessage-ID: <" + messageId + ">\r\n\r\nhello\r\n");
            c.command("QUIT");
            return code;
        }
    }

    private static String owner(Path path) throws Exception {
        return Command.run(List.of("stat", "-c", "%U:%G", path.toString()), null, 10).output().strip();
    }

    private static void assertPurged() throws Exception {
        assertThat(Command.run(List.of("getent", "passwd", "doublelock"), null, 10).exitCode()).as("user removed").isNotZero();
        assertThat(Command.run(List.of("getent", "group", "doublelock"), null, 10).exitCode()).as("group removed").isNotZero();
        for (String gone : List.of("/var/lib/doublelock", "/etc/doublelock", "/usr/share/doublelock", "/usr/bin/doublelock",
                UNIT.toString(), LAB_UNIT.toString())) {
            assertThat(Path.of(gone)).as("removed by purge").doesNotExist();
        }
        Command.Result status = Command.run(List.of("dpkg-query", "-W", "-f=${Status}", "doublelock"), null, 30);
        assertThat(status.exitCode()).as("dpkg knows nothing of doublelock after purge: %s", status.output()).isNotZero();
    }

    /** doublelock's own SMTP server on a loopback port, STARTTLS with the given key, keeping what it receives. */
    private static final class Receiver implements AutoCloseable {
        private final SmtpServer server;
        private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();

        Receiver(CertifiedKey key) throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {key.keyManager()}, null, null);
            server = SmtpServer.builder().hostName("localhost")
                    .limits(SmtpLimits.defaults().withCommandTimeout(Duration.ofSeconds(10)))
                    .startTls(new StartTlsSupport.Offered(plain -> {
                        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, true);
                        s.setUseClientMode(false);
                        return s;
                    }))
                    .handlerFactory(info -> new SessionHandler() {
                        @Override
                        public Reply onRcpt(MailPath to, Map<String, String> params) {
                            return Replies.RECIPIENT_OK;
                        }

                        @Override
                        public Reply onMessage(ReceivedMessage msg) {
                            messages.add(msg);
                            return Replies.OK_QUEUED(msg.connection().sessionId());
                        }
                    }).build().start();
        }

        int port() {
            return server.port();
        }

        ReceivedMessage await(Duration timeout) throws InterruptedException {
            Instant end = Instant.now().plus(timeout);
            while (messages.isEmpty() && Instant.now().isBefore(end)) Thread.sleep(100);
            return messages.isEmpty() ? null : messages.get(0);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
