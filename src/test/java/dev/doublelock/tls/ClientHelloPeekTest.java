package dev.doublelock.tls;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The ClientHello's server_name, read from the stream record by record, bounded, every byte kept for the engine. */
class ClientHelloPeekTest {
    /** The first flight of a JDK client (one TLS record holding its ClientHello). */
    static byte[] clientHello(Optional<String> sni, String... protocols) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("ignored.invalid", 25);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(sni.map(n -> List.<javax.net.ssl.SNIServerName>of(new SNIHostName(n))).orElse(List.of()));
        if (protocols.length > 0) p.setProtocols(protocols);
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    @Test
    void readsTheHostNameAndExactlyTheClientHello() throws Exception {
        byte[] hello = clientHello(Optional.of("Self-Signed.Lab.Test"));
        byte[] after = "more bytes the TLS engine reads itself".getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream in = new ByteArrayInputStream(concat(hello, after));
        ClientHelloPeek peek = ClientHelloPeek.read(in);
        assertThat(peek.status()).isEqualTo(ClientHelloPeek.Status.CLIENT_HELLO);
        assertThat(peek.serverName()).contains("self-signed.lab.test");
        assertThat(peek.consumed()).isEqualTo(hello);
        assertThat(in.readAllBytes()).as("nothing read past the ClientHello").isEqualTo(after);
    }

    @Test
    void aHelloWithoutServerNameHasNone() throws Exception {
        ClientHelloPeek peek = ClientHelloPeek.read(new ByteArrayInputStream(clientHello(Optional.empty())));
        assertThat(peek.status()).isEqualTo(ClientHelloPeek.Status.CLIENT_HELLO);
        assertThat(peek.serverName()).isEmpty();
        ClientHelloPeek tls12 = ClientHelloPeek.read(new ByteArrayInputStream(clientHello(Optional.of("good.lab.test"), "TLSv1.2")));
        assertThat(tls12.serverName()).contains("good.lab.test");
    }

    @Test
    void aClientHelloSplitOverRecordsIsReassembled() throws Exception {
        byte[] hello = clientHello(Optional.of("expired.lab.test"));
        byte[] fragment = Arrays.copyOfRange(hello, 5, hello.length);
        ByteArrayOutputStream split = new ByteArrayOutputStream();
        for (int off = 0; off < fragment.length; off += 3) { // records of 3 bytes: even the header is split
            int n = Math.min(3, fragment.length - off);
            split.write(new byte[] {22, 3, 1, 0, (byte) n});
            split.write(fragment, off, n);
        }
        ClientHelloPeek peek = ClientHelloPeek.read(new ByteArrayInputStream(split.toByteArray()));
        assertThat(peek.status()).isEqualTo(ClientHelloPeek.Status.CLIENT_HELLO);
        assertThat(peek.serverName()).contains("expired.lab.test");
        assertThat(peek.consumed()).isEqualTo(split.toByteArray());
    }

    @Test
    void plaintextIsNotTlsAndOnlyTheFirstRecordHeaderIsRead() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream("EHLO sender.example\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        ClientHelloPeek peek = ClientHelloPeek.read(in);
        assertThat(peek.status()).isEqualTo(ClientHelloPeek.Status.NOT_TLS);
        assertThat(peek.serverName()).isEmpty();
        assertThat(new String(peek.consumed(), StandardCharsets.US_ASCII)).isEqualTo("EHLO ");
        // an alert record is TLS, but no ClientHello
        assertThat(ClientHelloPeek.read(new ByteArrayInputStream(new byte[] {21, 3, 3, 0, 2, 2, 40})).status())
                .isEqualTo(ClientHelloPeek.Status.NOT_TLS);
        // a handshake record holding a ServerHello (type 2)
        assertThat(ClientHelloPeek.read(new ByteArrayInputStream(new byte[] {22, 3, 3, 0, 4, 2, 0, 0, 0})).status())
                .isEqualTo(ClientHelloPeek.Status.NOT_TLS);
    }

    @Test
    void aHelloCutShortIsTruncatedWithWhatCameKept() throws Exception {
        byte[] hello = clientHello(Optional.of("good.lab.test"));
        byte[] cut = Arrays.copyOf(hello, hello.length - 10);
        ClientHelloPeek peek = ClientHelloPeek.read(new ByteArrayInputStream(cut));
        assertThat(peek.status()).isEqualTo(ClientHelloPeek.Status.TRUNCATED);
        assertThat(peek.consumed()).isEqualTo(cut);
        assertThat(ClientHelloPeek.read(new ByteArrayInputStream(new byte[0])).status()).isEqualTo(ClientHelloPeek.Status.TRUNCATED);
    }

    @Test
    void aHelloAnnouncingMoreThanTheLimitIsNotRead() throws Exception {
        int body = ClientHelloPeek.MAX_CLIENT_HELLO; // + 4 header bytes: over the limit
        byte[] record = {22, 3, 1, 0, 4, 1, (byte) (body >>> 16), (byte) (body >>> 8), (byte) body};
        ClientHelloPeek peek = ClientHelloPeek.read(new ByteArrayInputStream(concat(record, new byte[64])));
        assertThat(peek.status()).isEqualTo(ClientHelloPeek.Status.TOO_LARGE);
        assertThat(peek.consumed()).isEqualTo(record);
        // a record longer than TLS allows is refused from its header
        assertThat(ClientHelloPeek.read(new ByteArrayInputStream(new byte[] {22, 3, 1, (byte) 0xff, (byte) 0xff})).status())
                .isEqualTo(ClientHelloPeek.Status.NOT_TLS);
    }

    @Test
    void lengthsThatDoNotAddUpAreMalformed() throws Exception {
        byte[] hello = clientHello(Optional.of("good.lab.test"));
        // the server_name entry's length byte points past the extension: find "good.lab.test" and grow its length
        int at = indexOf(hello, "good.lab.test".getBytes(StandardCharsets.US_ASCII));
        byte[] broken = hello.clone();
        broken[at - 1] = (byte) 0x7f;
        ClientHelloPeek peek = ClientHelloPeek.read(new ByteArrayInputStream(broken));
        assertThat(peek.status()).isEqualTo(ClientHelloPeek.Status.MALFORMED);
        assertThat(peek.serverName()).isEmpty();
        assertThat(peek.consumed()).isEqualTo(broken);
        // a non-ASCII host name is no host name
        byte[] nonAscii = hello.clone();
        nonAscii[at] = (byte) 0xc3;
        assertThat(ClientHelloPeek.read(new ByteArrayInputStream(nonAscii)).status()).isEqualTo(ClientHelloPeek.Status.MALFORMED);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
