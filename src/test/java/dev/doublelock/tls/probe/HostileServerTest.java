package dev.doublelock.tls.probe;

import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome.Status;
import dev.doublelock.tls.probe.ClientHelloWriter.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Servers that misbehave on purpose (garbage, truncation, huge length fields, silence, trickling, broken SMTP):
 * the prober must come back (no hang past its deadlines) with a result that says what it could not learn,
 * and never throw. The preemptive timeout is a hang guard far above the configured deadlines.
 */
class HostileServerTest {
    /** What the raw server does with each accepted connection. */
    interface Behaviour {
        void serve(Socket s) throws Exception;
    }

    static Stream<Arguments> behaviours() {
        Stream<Arguments> fixed = Stream.of(
                Arguments.of("random bytes", Transport.PLAIN_TLS, (Behaviour) s -> write(s, randomBytes(1, 300))),
                Arguments.of("huge record length", Transport.PLAIN_TLS, (Behaviour) s -> write(s, new byte[]{22, 3, 3, (byte) 0xFF, (byte) 0xFF})),
                Arguments.of("huge handshake length", Transport.PLAIN_TLS, (Behaviour) s -> write(s,
                        CannedTlsServer.record(22, 0x0303, new byte[]{2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0}))),
                Arguments.of("silent", Transport.PLAIN_TLS, (Behaviour) s -> Thread.sleep(20_000)),
                Arguments.of("trickle a valid flight", Transport.PLAIN_TLS, (Behaviour) s -> {
                    byte[] flight = CannedTlsServer.flight(0x0303, 0x002F, null, TlsProberCannedTest.CERTS.certificate());
                    for (byte b : flight) {
                        write(s, new byte[]{b});
                        Thread.sleep(100);
                    }
                }),
                Arguments.of("ServerHello for an unoffered suite", Transport.PLAIN_TLS, (Behaviour) s -> write(s,
                        CannedTlsServer.flight(0x0303, 0xFEFE, null, TlsProberCannedTest.CERTS.certificate()))),
                Arguments.of("alert record of one byte", Transport.PLAIN_TLS, (Behaviour) s -> write(s, CannedTlsServer.record(21, 0x0303, new byte[]{2}))),
                Arguments.of("smtp garbage greeting", Transport.SMTP_STARTTLS, (Behaviour) s -> write(s, "\u0000\u0001hello\r\n".getBytes(StandardCharsets.ISO_8859_1))),
                Arguments.of("smtp endless reply", Transport.SMTP_STARTTLS, (Behaviour) s -> {
                    for (int i = 0; i < 500; i++) write(s, "220-more\r\n".getBytes(StandardCharsets.US_ASCII));
                }),
                Arguments.of("smtp endless line", Transport.SMTP_STARTTLS, (Behaviour) s -> write(s, ("220 " + "x".repeat(100_000)).getBytes(StandardCharsets.US_ASCII))),
                Arguments.of("smtp silent after greeting", Transport.SMTP_STARTTLS, (Behaviour) s -> {
                    write(s, "220 hi\r\n".getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(20_000);
                }),
                Arguments.of("smtp 220 then garbage", Transport.SMTP_STARTTLS, (Behaviour) s -> {
                    write(s, "220 hi\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[100]);
                    write(s, "250-x\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[100]);
                    write(s, "220 go\r\n".getBytes(StandardCharsets.US_ASCII));
                    write(s, randomBytes(7, 64));
                }));
        // property part: a valid flight cut at random points or with random bytes flipped
        byte[] valid = CannedTlsServer.flight(0x0303, 0x002F, new Bytes().ext(0xFF01, new byte[]{0}).toByteArray(),
                TlsProberCannedTest.CERTS.certificate());
        Stream<Arguments> mutated = IntStream.range(0, 12).mapToObj(seed -> {
            Random r = new Random(seed);
            byte[] m = seed % 2 == 0 ? Arrays.copyOf(valid, r.nextInt(valid.length)) : valid.clone();
            if (seed % 2 == 1) for (int i = 0; i < 4; i++) m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            return Arguments.of("mutated flight #" + seed, Transport.PLAIN_TLS, (Behaviour) s -> write(s, m));
        });
        return Stream.concat(fixed, mutated);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("behaviours")
    void proberReturnsAndSaysWhatItCouldNotLearn(String name, Transport transport, Behaviour behaviour) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.submit(() -> {
                while (!listener.isClosed()) {
                    Socket s = listener.accept();
                    pool.submit(() -> {
                        try (s) {
                            behaviour.serve(s);
                        }
                        return null;
                    });
                }
                return null;
            });
            TlsProber prober = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(6)));
            ProbeTarget target = new ProbeTarget(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), transport, "mx.example");

            ServerObservation o = assertTimeoutPreemptively(Duration.ofSeconds(45), () -> prober.probe(target));

            assertThat(o).isNotNull();
            assertThat(o.endpoint()).endsWith(":" + listener.getLocalPort());
            if (o.startTls().status() == Status.ESTABLISHED) {
                // only a mutation that left a parseable ServerHello may count as accepted
                assertThat(name).startsWith("mutated");
            } else {
                assertThat(o.untested().isEmpty() && o.startTls().detail().isEmpty()).as("says why").isFalse();
            }
            pool.shutdownNow();
        }
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void write(Socket s, byte[] b) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(b);
        out.flush();
    }
}
