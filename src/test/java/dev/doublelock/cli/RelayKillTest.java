package dev.doublelock.cli;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.QueuedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety of the intake at process level: the relay runs in its own JVM, a client sends messages,
 * the relay is killed with SIGKILL at random moments and restarted; every message that got a 250 must
 * be in the queue with its bytes.
 */
class RelayKillTest {
    @TempDir
    Path dir;

    @Test
    void everyMessageThatGot250SurvivesKillMinus9() throws Exception {
        Path config = Files.writeString(dir.resolve("relay.json"), "{\"dataDir\": \"" + dir.resolve("data")
                + "\", \"submission\": {\"listen\": \"off\"}, \"metrics\": {\"listen\": \"off\"},"
                + " \"relay\": {\"listen\": \"127.0.0.1:0\"}}");
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        Random random = new Random(42);
        int counter = 0;
        for (int round = 0; round < 3; round++) {
            Process relay = start(config);
            try {
                int port = awaitPort(relay);
                long delay = 200 + random.nextInt(600);
                Thread killer = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException ignored) {
                        // kill now
                    }
                    relay.destroyForcibly(); // SIGKILL on Linux, mid-transaction: no shutdown hook runs
                });
                counter = send(port, counter, acknowledged);
                killer.join();
            } finally {
                relay.destroyForcibly();
                relay.waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertThat(acknowledged).as("some messages were acknowledged").isNotEmpty();
        try (QueueStore store = QueueStores.open(dir.resolve("data/queue.db").toString())) {
            for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
                QueuedMessage m = store.find(e.getValue()).orElseThrow(() -> new AssertionError("lost " + e.getKey()));
                assertThat(new String(store.messageBytes(m.id()), StandardCharsets.UTF_8)).contains("Subject: " + e.getKey());
            }
            long stored = store.list(Set.of(), 100_000).size();
            assertThat(stored).as("acknowledged %d, stored %d", acknowledged.size(), stored)
                    .isGreaterThanOrEqualTo(acknowledged.size());
        }
    }

    private static Process start(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RelayTestMain.class.getName(),
                "--config", config.toString()).redirectErrorStream(true).start();
    }

    private static int awaitPort(Process p) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> said = new ArrayList<>();
        for (String line = in.readLine(); line != null && said.size() < 100; line = in.readLine()) {
            said.add(line);
            if (line.startsWith("relay: relay for ")) {
                Thread.ofVirtual().start(() -> drain(in));
                return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip());
            }
        }
        throw new IOException("the relay did not start; it said:\n" + String.join("\n", said));
    }

    private static void drain(BufferedReader in) {
        try {
            while (in.readLine() != null) {
                // keep the pipe from filling
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    /** Sends messages until the connection dies; records the 250-acknowledged ones. */
    private static int send(int port, int counter, Map<String, Long> acknowledged) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            reply(in);
            command(out, in, "EHLO killer.test");
            while (true) {
                String token = "msg-" + (++counter);
                command(out, in, "MAIL FROM:<a@client.test>");
                command(out, in, "RCPT TO:<b@lab.example>");
                command(out, in, "DATA");
                String r = command(out, in, "Subject: " + token + "\r\n\r\nbody of " + token + "\r\n.");
                if (r.startsWith("250 ")) {
                    acknowledged.put(token, Long.parseLong(r.replaceAll(".*queued as ", "").strip()));
                }
            }
        } catch (IOException | RuntimeException dying) {
            // the relay is being killed: whatever was not acknowledged may be lost
        }
        return counter;
    }

    private static String command(OutputStream out, InputStream in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply(in);
    }

    private static String reply(InputStream in) throws IOException {
        StringBuilder last = new StringBuilder();
        while (true) {
            last.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) throw new IOException("closed");
                if (c != '\r') last.append((char) c);
            }
            if (last.length() < 4 || last.charAt(3) != '-') return last.toString();
        }
    }
}
