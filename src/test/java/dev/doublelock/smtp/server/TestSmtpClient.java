package dev.doublelock.smtp.server;

import dev.doublelock.smtp.Reply;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tiny raw-socket SMTP client for tests: sends exact bytes, reads replies with a timeout. */
final class TestSmtpClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 15_000;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private TestSmtpClient(int port) throws IOException {
        this.port = port;
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MS);
        use(s);
    }

    static TestSmtpClient connect(int port) throws IOException {
        return new TestSmtpClient(port);
    }

    /** Connects and checks the 220 greeting. */
    static TestSmtpClient connectGreeted(int port) throws IOException {
        TestSmtpClient c = new TestSmtpClient(port);
        Reply greeting = c.readReply();
        if (greeting.code() != 220) {
            throw new IOException("expected 220 greeting, got " + greeting);
        }
        return c;
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(READ_TIMEOUT_MS);
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    void send(String raw) throws IOException {
        sendBytes(raw.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Sends one command with CRLF and reads its reply. */
    Reply command(String line) throws IOException {
        send(line + "\r\n");
        return readReply();
    }

    Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return Reply.parse(lines);
            }
        }
    }

    /** Sends a command and reads every reply until the server closes (for a final 421). */
    List<Reply> readReplyAfter(String line) throws IOException {
        send(line + "\r\n");
        List<Reply> replies = new ArrayList<>();
        while (true) {
            try {
                replies.add(readReply());
            } catch (EOFException | java.net.SocketException e) {
                return replies;
            }
        }
    }

    List<Reply> readReplies(int n) throws IOException {
        List<Reply> replies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            replies.add(readReply());
        }
        return replies;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("server closed the connection; partial line: " + line);
            }
            if (prev == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            prev = b;
            if (line.size() > 10_000) {
                throw new IOException("reply line too long");
            }
        }
    }

    /** True if the server closed the connection (EOF or reset) before sending anything more. */
    boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Layers TLS over the connection (after the 220 to STARTTLS) and handshakes. */
    SSLSocket startTls(SSLContext ctx, String... protocols) throws IOException {
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost"))); // JDK omits SNI for dotless names
        if (protocols.length > 0) {
            params.setProtocols(protocols);
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        use(ssl);
        return ssl;
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
