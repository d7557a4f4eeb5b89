package dev.doublelock.cli;

import dev.doublelock.lab.LabProfile;
import dev.doublelock.tls.pki.LabCertificate;
import dev.doublelock.tls.pki.LabPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 3: one data location with one precedence, and read-only commands (lab certs, lab results, queue
 * list, queue show) that find nothing there say so with the absolute path, exit 3 and create nothing. The
 * environment and the system location are injected ({@link DataLocation#defaults}); the real /var/lib is never used.
 */
class DataLocationTest {
    @TempDir
    Path tmp;
    Path work;
    Path system;
    DataLocation.Defaults saved;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void inject() throws IOException {
        saved = DataLocation.defaults;
        work = Files.createDirectories(tmp.resolve("work"));
        system = tmp.resolve("var-lib-doublelock"); // absent unless a test makes it
        DataLocation.defaults = new DataLocation.Defaults(Map.of(), system, work);
    }

    @AfterEach
    void restore() {
        DataLocation.defaults = saved;
    }

    private void env(String value) {
        DataLocation.defaults = new DataLocation.Defaults(Map.of(DataLocation.ENV, value), system, work);
    }

    static Run main(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Every path below {@code root} with its size: equal before and after means nothing was created or changed. */
    static Map<String, Long> tree(Path root) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) m.put(root.relativize(p).toString(), Files.isDirectory(p) ? -1 : Files.size(p));
        }
        return m;
    }

    @Test
    void precedenceIsFlagThenEnvironmentThenSystemThenWorkingDirectory() throws IOException {
        assertThat(DataLocation.of(null).dir()).isEqualTo(work.resolve("doublelock-data"));
        assertThat(DataLocation.of(null).source()).isEqualTo(DataLocation.Source.LOCAL);
        Files.createDirectories(system);
        assertThat(DataLocation.of(null).dir()).isEqualTo(system);
        assertThat(DataLocation.of(null).source()).isEqualTo(DataLocation.Source.SYSTEM);
        env("from-env");
        assertThat(DataLocation.of(null).dir()).as("relative to the working directory, absolute").isEqualTo(work.resolve("from-env"));
        assertThat(DataLocation.of(null, Path.of("cfg")).dir()).as("an explicit config dataDir beats the environment")
                .isEqualTo(work.resolve("cfg"));
        assertThat(DataLocation.of(Path.of("flag"), Path.of("cfg")).dir()).as("--data beats everything")
                .isEqualTo(work.resolve("flag"));
        assertThat(DataLocation.of(Path.of("flag")).source()).isEqualTo(DataLocation.Source.FLAG);
        assertThat(tree(tmp).keySet()).as("resolving creates nothing").doesNotContain("work/from-env", "work/flag", "work/cfg",
                "work/doublelock-data");
    }

    @Test
    void theLabAndTheQueueCommandsAgreeOnTheDefault() throws IOException {
        // a relay and a lab that ran with DOUBLELOCK_DATA: queue list and lab results find them without --data
        Path shared = tmp.resolve("shared");
        env(shared.toString());
        try (var store = dev.doublelock.queue.QueueStores.open(DataLocation.of(null, null).resolve("queue.db").toString())) {
            store.enqueue(new dev.doublelock.queue.Envelope("a@x.example", List.of("b@y.example")), "x\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        Run list = main("queue", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("b@y.example");
        // and the relay's options point at the same file
        var options = dev.doublelock.config.RelayConfig.defaults(DataLocation.of(null).dir());
        assertThat(Path.of(options.queueLocation())).isEqualTo(shared.resolve("queue.db"));
    }

    private void assertNothingThere(Run r, Path expectedPath, String who) {
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOTHING_THERE);
        assertThat(r.err().strip().lines()).as("one line").hasSize(1);
        assertThat(r.err()).contains("nothing at " + expectedPath.toAbsolutePath())
                .contains("is the " + who + " using another --data?")
                .contains("precedence: --data, DOUBLELOCK_DATA, /var/lib/doublelock, ./doublelock-data")
                .doesNotContain("\tat ");
    }

    /** A location that exists but holds something else: a directory with an unrelated file. */
    private Path wrongLocation() throws IOException {
        Path wrong = Files.createDirectories(tmp.resolve("wrong"));
        Files.writeString(wrong.resolve("notes.txt"), "not doublelock data");
        return wrong;
    }

    @Test
    void labCertsWithAMissingOrWrongLocationCreatesNothing() throws IOException {
        Path missing = tmp.resolve("missing");
        Path out = tmp.resolve("out");
        Path wrong = wrongLocation();
        Map<String, Long> before = tree(tmp);
        assertNothingThere(main("lab", "certs", "--data", missing.toString(), "--out", out.toString()), missing.resolve("pki"), "lab");
        assertNothingThere(main("lab", "certs", "--data", wrong.toString(), "--out", out.toString()), wrong.resolve("pki"), "lab");
        // by the default precedence: nothing at ./doublelock-data, and it is not created
        assertNothingThere(main("lab", "certs", "--out", out.toString()), work.resolve("doublelock-data").resolve("pki"), "lab");
        env(missing.toString());
        assertNothingThere(main("lab", "certs", "--out", out.toString()), missing.resolve("pki"), "lab");
        assertThat(tree(tmp)).as("no CA, no data dir, no --out dir").isEqualTo(before);
    }

    @Test
    void labResultsWithAMissingOrWrongLocationCreatesNothing() throws IOException {
        Path missing = tmp.resolve("missing");
        Path wrong = wrongLocation();
        Map<String, Long> before = tree(tmp);
        assertNothingThere(main("lab", "results", "--data", missing.toString()), missing.resolve("lab.db"), "lab");
        assertNothingThere(main("lab", "results", "--data", wrong.toString()), wrong.resolve("lab.db"), "lab");
        assertNothingThere(main("lab", "results", "--db", "jdbc:sqlite:" + wrong.resolve("typo.db")), wrong.resolve("typo.db"), "lab");
        assertNothingThere(main("lab", "results"), work.resolve("doublelock-data").resolve("lab.db"), "lab");
        assertThat(tree(tmp)).isEqualTo(before);
    }

    @Test
    void queueListWithAMissingOrWrongLocationCreatesNothing() throws IOException {
        Path missing = tmp.resolve("missing");
        Path wrong = wrongLocation();
        Map<String, Long> before = tree(tmp);
        assertNothingThere(main("queue", "list", "--data", missing.toString()), missing.resolve("queue.db"), "relay");
        assertNothingThere(main("queue", "list", "--data", wrong.toString()), wrong.resolve("queue.db"), "relay");
        assertNothingThere(main("queue", "list", "--queue", wrong.resolve("qeueu.db").toString()), wrong.resolve("qeueu.db"), "relay");
        assertNothingThere(main("queue", "list"), work.resolve("doublelock-data").resolve("queue.db"), "relay");
        env(missing.toString());
        assertNothingThere(main("queue", "list"), missing.resolve("queue.db"), "relay");
        assertThat(tree(tmp)).isEqualTo(before);
    }

    @Test
    void queueShowWithAMissingOrWrongLocationCreatesNothing() throws IOException {
        Path missing = tmp.resolve("missing");
        Path wrong = wrongLocation();
        Path config = Files.writeString(tmp.resolve("relay.json"), "{\"dataDir\": " + Json.write(missing.toString()) + "}");
        Map<String, Long> before = tree(tmp);
        assertNothingThere(main("queue", "show", "1", "--data", missing.toString()), missing.resolve("queue.db"), "relay");
        assertNothingThere(main("queue", "show", "1", "--data", wrong.toString()), wrong.resolve("queue.db"), "relay");
        assertNothingThere(main("queue", "show", "1", "--config", config.toString()), missing.resolve("queue.db"), "relay");
        assertNothingThere(main("queue", "show", "1", "--config", config.toString(), "--data", wrong.toString()),
                wrong.resolve("queue.db"), "relay");
        assertNothingThere(main("queue", "show", "1"), work.resolve("doublelock-data").resolve("queue.db"), "relay");
        assertThat(tree(tmp)).isEqualTo(before);
    }

    @Test
    void labCertsExportsWhatALabMadeAndAddsNothingToItsData() throws Exception {
        Path data = tmp.resolve("data");
        EnumSet<LabCertificate> all = EnumSet.noneOf(LabCertificate.class);
        for (LabProfile p : LabProfile.values()) all.add(p.certificate());
        LabPki lab = LabPki.loadOrCreate(data.resolve("pki"), "localhost"); // what 'doublelock lab' does at start
        lab.prepare(all);
        Map<String, Long> before = tree(data);
        Path out = tmp.resolve("out");
        Run r = main("lab", "certs", "--data", data.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(out.toAbsolutePath().toString()).contains(data.resolve("pki").toAbsolutePath().toString());
        assertThat(Files.readString(out.resolve("ca.pem"))).isEqualTo(Files.readString(data.resolve("pki").resolve("ca.pem")));
        assertThat(tree(data)).isEqualTo(before);
    }
}
