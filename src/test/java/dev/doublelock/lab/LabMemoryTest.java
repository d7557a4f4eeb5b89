package dev.doublelock.lab;

import dev.doublelock.testing.LabProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's bounded-memory case: 50 senders each send a 30 MB message at once to a lab whose JVM has a 256 MB heap
 * (and exits on OutOfMemoryError). The lab keeps only each message's header and counts the rest, so every message is
 * answered (250, or a 4xx if memory were short), the lab stays up, and it records all of them with their full size.
 */
@Timeout(300)
class LabMemoryTest {
    private static final int SENDERS = 50;
    private static final int MEGABYTES = 30;
    private static final byte[] ONE_MB = oneMegabyte();

    @TempDir
    Path dir;

    @Test
    void fiftyConcurrent30MbMessagesInA256MbHeapAreAllAnsweredAndTheLabStaysUp() throws Exception {
        try (LabProcess lab = LabProcess.start(dir.resolve("lab"), List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"))) {
            int port = lab.port("no-starttls");
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                int n = i;
                replies.add(pool.submit(() -> send(port, n)));
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> f : replies) answers.add(f.get());
            pool.shutdown();
            assertThat(answers).as("every message answered 250 or 4xx").allMatch(a -> a.startsWith("250") || a.startsWith("4"));
            assertThat(answers).as("the lab keeps only headers: none needs to be refused").allMatch(a -> a.startsWith("250"));
            assertThat(lab.isAlive()).as("no OutOfMemoryError: the lab is up (output:%n%s)", String.join("\n", lab.output()))
                    .isTrue();
            assertThat(send(port, 99)).as("and still answers").startsWith("250");
        }
    }

    /** One session: EHLO, MAIL, RCPT, DATA with 30 MB, the end; returns the reply to the end of data. */
    private static String send(int port, int n) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            s.setSoTimeout(120_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            out.write(("EHLO sender" + n + ".test\r\n").getBytes(StandardCharsets.US_ASCII));
            expect(in, "250");
            out.write(("MAIL FROM:<s" + n + "@sender.test>\r\nRCPT TO:<big@lab.test>\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
            expect(in, "250");
            expect(in, "250");
            expect(in, "354");
            out.write(("Subject: big " + n + "\r\nMessage-ID: <big-" + n + "@sender.test>\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < MEGABYTES; i++) out.write(ONE_MB);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply(in);
        }
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String r = reply(in);
        if (!r.startsWith(code)) throw new IOException("expected " + code + ", got " + r);
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new IOException("the lab closed the connection");
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    private static byte[] oneMegabyte() {
        byte[] line = ("y".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] mb = new byte[1000 * line.length];
        for (int i = 0; i < 1000; i++) System.arraycopy(line, 0, mb, i * line.length, line.length);
        return mb;
    }
}
