package dev.doublelock.testing;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately simple SMTP client for tests: sends exactly the bytes it is told and reads replies,
 * so tests can speak to servers both correctly and badly. Every read has a timeout.
 */
public final class RawSmtpClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawSmtpClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Reads one (possibly multi-line) reply; returns its lines without CRLF. */
    public List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) throw new IOException("connection closed; got so far: " + lines);
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') return lines;
        }
    }

    public int code() throws IOException {
        return Integer.parseInt(reply().get(0).substring(0, 3));
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
            if (b.size() > 100_000) throw new IOException("reply line too long");
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.UTF_8);
    }

    public RawSmtpClient send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Sends a command line (CRLF added) and returns the reply. */
    public List<String> command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** Upgrades to TLS as a client; throws what the handshake throws. */
    /** Octets the server sent after its 220 to STARTTLS that {@link #startTls} dropped (response injection). */
    public int discardedBeforeTls;

    public SSLSocket startTls(SSLContext context, String sni, String... protocols) throws IOException {
        return startTls(context, sni, false, protocols);
    }

    /** Upgrades to TLS; with {@code verifyHost} the certificate must also name {@code sni} (RFC 6125 via JSSE). */
    public SSLSocket startTls(SSLContext context, String sni, boolean verifyHost, String... protocols) throws IOException {
        return startTls(context, p -> {
            if (sni != null) p.setServerNames(List.of(new SNIHostName(sni)));
            if (protocols.length > 0) p.setProtocols(protocols);
            if (verifyHost) p.setEndpointIdentificationAlgorithm("HTTPS");
        });
    }

    /** Upgrades to TLS with the client's SSL parameters adjusted by {@code parameters} (suites, constraints, ...). */
    public SSLSocket startTls(SSLContext context, java.util.function.Consumer<SSLParameters> parameters) throws IOException {
        // as a careful client does: whatever the server sent after its 220 (response injection) is dropped, not parsed
        int pending;
        while ((pending = in.available()) > 0) {
            discardedBeforeTls += in.read(new byte[pending]);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters p = tls.getSSLParameters();
        parameters.accept(p);
        tls.setSSLParameters(p);
        tls.setSoTimeout(10_000);
        socket = tls;
        tls.startHandshake();
        in = tls.getInputStream();
        out = tls.getOutputStream();
        return tls;
    }

    /** A whole transaction: MAIL, RCPT, DATA with the given message (dot-stuffing is the caller's job). */
    public int deliver(String from, String to, String message) throws IOException {
        if (code(command("MAIL FROM:<" + from + ">")) != 250) return -1;
        if (code(command("RCPT TO:<" + to + ">")) != 250) return -2;
        if (code(command("DATA")) != 354) return -3;
        send(message + (message.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
        return code();
    }

    public static int code(List<String> reply) {
        return Integer.parseInt(reply.get(0).substring(0, 3));
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
