package dev.doublelock.relay.intake;

import dev.doublelock.smtp.Reply;

import javax.net.ssl.SNIHostName;
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
import java.util.Base64;
import java.util.List;

/** A raw test client that can pick its source address (127.0.0.2 works on Linux loopback). */
final class SmtpTestClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private SmtpTestClient(Socket s) throws IOException {
        use(s);
    }

    /** Connects from {@code source} (null: any) to 127.0.0.1:{@code port} and reads the 220 greeting. */
    static SmtpTestClient connect(int port, InetAddress source) throws IOException {
        Socket s = new Socket();
        if (source != null) {
            s.bind(new InetSocketAddress(source, 0));
        }
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        SmtpTestClient c = new SmtpTestClient(s);
        Reply greeting = c.reply();
        if (greeting.code() != 220) throw new IOException("no greeting: " + greeting);
        return c;
    }

    static SmtpTestClient connect(int port) throws IOException {
        return connect(port, null);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        s.setSoTimeout(15_000);
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    Reply command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') return Reply.parse(lines);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException("server closed; partial: " + b);
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** True if nothing more arrives within the read timeout the caller set, or the server closed. */
    boolean nothingPending(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return in.available() == 0 && in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** True if the server closes the connection within 5 s (end of stream or reset), with nothing sent before. */
    boolean closedByServer() throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(5000);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset or TLS socket closed
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** EHLO, STARTTLS, handshake (verifying "localhost"), EHLO again; returns the second EHLO reply. */
    Reply startTls(SSLContext ctx) throws IOException {
        command("EHLO client.test");
        Reply ready = command("STARTTLS");
        if (ready.code() != 220) throw new IOException("STARTTLS refused: " + ready);
        handshake(ctx);
        return command("EHLO client.test");
    }

    void handshake(SSLContext ctx) throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName("localhost")));
        tls.setSSLParameters(p);
        tls.startHandshake();
        use(tls);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
