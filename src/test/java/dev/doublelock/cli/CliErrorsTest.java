package dev.doublelock.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 10 item 6: a port in use (naming the listener and what moves it), a 0-byte or corrupt SQLite file, a bad
 * config file: one line each on stderr with a documented exit code, no stack trace unless {@code --debug}; the
 * relay names its delivery log; log lines carry a timestamp.
 */
class CliErrorsTest {
    @TempDir
    Path tmp;
    DataLocation.Defaults saved;
    DeliveryEngineFactoryHolder engines = new DeliveryEngineFactoryHolder();

    /** Keeps RelayCommand's engine factory as it was. */
    static final class DeliveryEngineFactoryHolder {
        final dev.doublelock.relay.DeliveryEngineFactory saved = RelayCommand.deliveryEngines;
    }

    @BeforeEach
    void inject() {
        saved = DataLocation.defaults;
        DataLocation.defaults = new DataLocation.Defaults(Map.of(), tmp.resolve("no-system"), tmp);
        RelayCommand.deliveryEngines = RelayCommand.QUEUE_ONLY_FACTORY;
    }

    @AfterEach
    void restore() {
        DataLocation.defaults = saved;
        RelayCommand.deliveryEngines = engines.saved;
    }

    private static void assertOneLine(DataLocationTest.Run r, int exit, String... contains) {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        // timestamped lines are the relay's notices (e.g. "made a self-signed certificate"), not the error
        assertThat(r.err().strip().lines().filter(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*"))).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(contains).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void aZeroByteOrCorruptQueueFileIsRefusedAndLeftUntouched() throws IOException {
        Path empty = Files.createFile(tmp.resolve("queue.db"));
        assertOneLine(DataLocationTest.main("queue", "list", "--queue", empty.toString()), ExitCodes.DATA_UNUSABLE,
                empty.toAbsolutePath().toString(), "0 bytes", "restore it from a backup");
        assertOneLine(DataLocationTest.main("queue", "show", "1", "--data", tmp.toString()), ExitCodes.DATA_UNUSABLE, "0 bytes");
        assertOneLine(DataLocationTest.main("relay", "--data", tmp.toString()), ExitCodes.DATA_UNUSABLE, "0 bytes");
        assertThat(Files.size(empty)).as("never overwritten").isZero();
        byte[] garbage = "this is not a database, but someone's notes\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        Path corrupt = Files.write(tmp.resolve("other.db"), garbage);
        assertOneLine(DataLocationTest.main("queue", "list", "--queue", corrupt.toString()), ExitCodes.DATA_UNUSABLE,
                corrupt.toAbsolutePath().toString(), "not an SQLite database");
        assertThat(Files.readAllBytes(corrupt)).isEqualTo(garbage);
        Path labDb = Files.createFile(tmp.resolve("lab.db"));
        assertOneLine(DataLocationTest.main("lab", "results", "--data", tmp.toString()), ExitCodes.DATA_UNUSABLE, "0 bytes");
        assertThat(Files.size(labDb)).isZero();
    }

    @Test
    void anUnreachableDatabaseIsOneLine() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/queue?user=x&connectTimeout=2";
        assertOneLine(DataLocationTest.main("queue", "list", "--queue", url), ExitCodes.DATA_UNUSABLE, "127.0.0.1:" + closed);
    }

    @Test
    void aBadConfigFileIsOneLine() throws IOException {
        Path lab = Files.writeString(tmp.resolve("lab.properties"), "profile.nosuch.bind=127.0.0.1:2525\n");
        assertOneLine(DataLocationTest.main("lab", "--config", lab.toString(), "--data", tmp.toString()), ExitCodes.USAGE,
                lab.toString(), "nosuch");
        Path relay = Files.writeString(tmp.resolve("relay.json"), "{ \"hostName\": \"a b\" ");
        assertOneLine(DataLocationTest.main("relay", "--config", relay.toString()), ExitCodes.USAGE, relay.toString(), "JSON");
    }

    @Test
    void debugAddsTheStackTrace() throws IOException {
        Path empty = Files.createFile(tmp.resolve("queue.db"));
        DataLocationTest.Run plain = DataLocationTest.main("queue", "list", "--queue", empty.toString());
        assertThat(plain.err()).doesNotContain("\tat ");
        for (String[] args : List.of(new String[] {"--debug", "queue", "list", "--queue", empty.toString()},
                new String[] {"queue", "list", "--debug", "--queue", empty.toString()})) {
            DataLocationTest.Run debug = DataLocationTest.main(args);
            assertThat(debug.exit()).isEqualTo(ExitCodes.DATA_UNUSABLE);
            assertThat(debug.err().lines().findFirst().orElse("")).isEqualTo(plain.err().strip());
            assertThat(debug.err()).contains("DataFileException").contains("\tat dev.doublelock.");
        }
        assertThat(Files.size(empty)).isZero();
    }

    private String relayConfig(String submission, String relay, String metrics) throws IOException {
        return Files.writeString(tmp.resolve("relay-" + System.nanoTime() + ".json"), "{\"dataDir\": " + Json.write(tmp.toString())
                + ", \"submission\": {\"listen\": \"" + submission + "\"}, \"relay\": {\"listen\": \"" + relay
                + "\"}, \"metrics\": {\"listen\": \"" + metrics + "\"}}").toString();
    }

    @Test
    void aRelayPortInUseNamesTheListenerAndItsConfigKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String at = "127.0.0.1:" + taken.getLocalPort();
            assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
                assertOneLine(DataLocationTest.main("relay", "--config", relayConfig(at, "off", "off")), ExitCodes.CANNOT_LISTEN,
                        at, "submission listener", "submission.listen");
                assertOneLine(DataLocationTest.main("relay", "--config", relayConfig("off", at, "off")), ExitCodes.CANNOT_LISTEN,
                        at, "relay listener", "relay.listen");
                assertOneLine(DataLocationTest.main("relay", "--config", relayConfig("off", "off", at)), ExitCodes.CANNOT_LISTEN,
                        at, "metrics listener", "metrics.listen");
            });
        }
    }

    /** Runs {@code doublelock ARGS} in a child JVM (the lab relaxes JDK limits: never in this one); stdout+stderr. */
    private static Process child(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static List<String> linesUntilExit(Process p) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) lines.add(l);
        }
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return lines;
    }

    @Test
    void aLabPortInUseNamesTheProfileOrTheWebPageAndTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Process profile = child("lab", "--base-port", "" + port, "--web-port", "-1", "--data", tmp.toString());
            List<String> said = linesUntilExit(profile);
            assertThat(profile.exitValue()).as(String.join("\n", said)).isEqualTo(ExitCodes.CANNOT_LISTEN);
            String last = said.get(said.size() - 1);
            assertThat(last).contains("lab profile good listener", "127.0.0.1:" + port, "--base-port");
            assertThat(said).noneMatch(l -> l.startsWith("\tat "));
            Process web = child("lab", "--base-port", "0", "--web-port", "" + port, "--data", tmp.toString());
            said = linesUntilExit(web);
            assertThat(web.exitValue()).as(String.join("\n", said)).isEqualTo(ExitCodes.CANNOT_LISTEN);
            assertThat(said.get(said.size() - 1)).contains("lab web listener", "127.0.0.1:" + port, "--web-port");
            assertThat(said).noneMatch(l -> l.startsWith("\tat "));
        }
    }

    @Test
    void theRelayNamesItsDataAndDeliveryLogAndLogLinesHaveTimestamps() throws Exception {
        Path data = tmp.resolve("relay data");
        Process relay = child("relay", "--data", data.toString(), "--config", relayConfig("off", "127.0.0.1:0", "off"));
        List<String> said = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            for (String l; System.nanoTime() < deadline && (l = in.readLine()) != null; ) {
                said.add(l);
                if (l.contains("stop with Ctrl-C")) break;
            }
        } finally {
            relay.destroy();
            relay.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(said).as("--data wins over the config's dataDir").contains("relay: data " + data.toAbsolutePath(),
                "relay: delivery log (JSON lines) " + data.toAbsolutePath().resolve("delivery.log"));
        assertThat(said).anyMatch(l -> l.startsWith("relay: queue sqlite:" + data.toAbsolutePath().resolve("queue.db")));
        // the relay made its self-signed certificate and said so: a notice line, timestamped
        assertThat(said).anyMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*"));
        Process log = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LogLine.class.getName()).redirectErrorStream(true).start();
        List<String> logged = linesUntilExit(log);
        assertThat(logged).anyMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.* INFO .*one log line$"));
    }

    /** Logs one line through slf4j with the jar's logging configuration. */
    public static final class LogLine {
        public static void main(String[] args) {
            org.slf4j.LoggerFactory.getLogger("dev.doublelock.test").info("one log line");
        }
    }
}
