package dev.doublelock.tls.probe;

import dev.doublelock.tls.Exposure;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * SSL 2.0: one SSLv2 CLIENT-HELLO (version 0x0002, the seven SSLv2 cipher kinds, a 16-byte challenge). A
 * SERVER-HELLO in reply means the server speaks SSL 2.0 (RFC 6176 forbids it; with the same RSA key anywhere,
 * DROWN). A TLS alert, a close or a reset means it does not.
 */
final class Sslv2Probe {
    private static final int[] CIPHER_KINDS = {0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700C0};
    private final HelloExchange exchange;

    Sslv2Probe(HelloExchange exchange) {
        this.exchange = exchange;
    }

    static byte[] clientHello() {
        byte[] challenge = new byte[16];
        new SecureRandom().nextBytes(challenge);
        ClientHelloWriter.Bytes body = new ClientHelloWriter.Bytes().u8(1).u16(0x0002).u16(CIPHER_KINDS.length * 3).u16(0).u16(16);
        for (int k : CIPHER_KINDS) body.u8(k >> 16).u16(k & 0xFFFF);
        byte[] b = body.raw(challenge).toByteArray();
        return new ClientHelloWriter.Bytes().u16(0x8000 | b.length).raw(b).toByteArray();
    }

    /** The exposure, or null with {@code untested} told why. */
    Exposure run(java.util.function.Consumer<String> untested) {
        HelloExchange.Connected<Exposure> r = exchange.connect((c, deadline) -> {
            c.socket().getOutputStream().write(clientHello());
            c.socket().getOutputStream().flush();
            InputStream in = new DeadlineInputStream(c.socket(), deadline, exchange.reactionMillis());
            byte[] head = new byte[3];
            int got = 0;
            try {
                while (got < 3) {
                    int n = in.read(head, got, 3 - got);
                    if (n < 0) break;
                    got += n;
                }
            } catch (SocketTimeoutException e) {
                // an SSL 2.0 server answers at once; silence is a TLS server waiting for a hello it can read
                return Exposure.notVulnerable(got == 0 ? "no SSLv2 SERVER-HELLO within " + exchange.reactionMillis() + " ms"
                        : "answered an SSLv2 hello with " + got + " byte(s), then nothing");
            } catch (IOException e) {
                return Exposure.notVulnerable("reset the connection on an SSLv2 hello");
            }
            if (got == 0) return Exposure.notVulnerable("closed the connection on an SSLv2 hello");
            if (got == 3 && (head[0] & 0x80) != 0 && head[2] == 4) {
                return Exposure.vulnerable("answered an SSLv2 CLIENT-HELLO with an SSLv2 SERVER-HELLO (SSL 2.0 enabled)");
            }
            if (head[0] == 21) return Exposure.notVulnerable("answered an SSLv2 hello with a TLS alert");
            return Exposure.notVulnerable("answered an SSLv2 hello with no SSLv2 SERVER-HELLO (first bytes "
                    + HexFormat.of().formatHex(head, 0, got) + ")");
        });
        // the probe always concludes once connected; only a connection that never became ready is untested
        return HelloExchange.settle(r, "SSLv2", "", untested);
    }
}
