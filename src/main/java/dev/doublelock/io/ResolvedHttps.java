package dev.doublelock.io;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 request over TLS to a host at addresses the caller resolved (through its own resolver, not the
 * operating system's): the MTA-STS policy GET (RFC 8461 §3.3) and the TLS report POST (RFC 8460 §5.4). SNI and Web
 * PKI host name verification ({@code HTTPS} endpoint identification) for the host name, with the trust of the
 * {@link SSLContext} given; {@code Connection: close}; one deadline for connecting, the handshake, the request and
 * the whole answer; headers capped at {@value #MAX_HEADER_BYTES} bytes, the body read (by Content-Length, chunked,
 * or to the end) only up to the cap ({@link BodyTooLarge} past it). No redirect is followed: a 3xx is an answer.
 */
public final class ResolvedHttps {
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Status, header fields (lower-case names, first value) and the body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** The answer's body went past the cap; nothing beyond the cap was kept. */
    public static final class BodyTooLarge extends IOException {
        public BodyTooLarge(int cap) {
            super("the answer is larger than " + cap + " bytes");
        }
    }

    private ResolvedHttps() {
    }

    /** GET {@code path}; the body is read only for status 200 (empty otherwise). */
    public static Response get(SSLContext context, String host, int port, List<InetAddress> addresses, String path,
                               Duration timeout, int maxBytes) throws IOException {
        return exchange(context, host, port, addresses, "GET " + path, "Accept: text/plain\r\n", new byte[0],
                timeout, maxBytes, true);
    }

    /** POST {@code body} as {@code contentType} to {@code path}; the answer's body is read whatever the status. */
    public static Response post(SSLContext context, String host, int port, List<InetAddress> addresses, String path,
                                String contentType, byte[] body, Duration timeout, int maxBytes) throws IOException {
        return exchange(context, host, port, addresses, "POST " + path, "Content-Type: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n", body, timeout, maxBytes, false);
    }

    private static Response exchange(SSLContext context, String host, int port, List<InetAddress> addresses,
                                     String requestLine, String fields, byte[] body, Duration timeout, int maxBytes,
                                     boolean bodyOnlyFor200) throws IOException {
        if (requestLine.indexOf('\r') >= 0 || requestLine.indexOf('\n') >= 0 || fields.chars().filter(c -> c == '\n')
                .count() != fields.chars().filter(c -> c == '\r').count()) {
            throw new IllegalArgumentException("no line breaks in a request line or header field");
        }
        Instant deadline = Instant.now().plus(timeout);
        Socket plain = connect(addresses, port, deadline);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isAddressLiteral(host)) p.setServerNames(List.of(new SNIHostName(host)));
            tls.setSSLParameters(p);
            tls.setUseClientMode(true);
            tls.setSoTimeout(remaining(deadline));
            tls.startHandshake();
            OutputStream out = tls.getOutputStream();
            String authority = port == 443 ? host : host + ":" + port;
            out.write((requestLine + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: doublelock\r\n"
                    + fields + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            DeadlineInputStream timed = new DeadlineInputStream(tls.getInputStream(), tls::setSoTimeout, Clock.systemUTC());
            Duration left = Duration.ofMillis(remaining(deadline));
            timed.beginUnit(left, left, true);
            InputStream in = new BufferedInputStream(timed);
            return read(in, maxBytes, bodyOnlyFor200);
        }
    }

    private static Socket connect(List<InetAddress> addresses, int port, Instant deadline) throws IOException {
        IOException last = new IOException("no address to connect to");
        for (InetAddress a : addresses) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, port), remaining(deadline));
                return s;
            } catch (IOException e) {
                s.close();
                last = new IOException("cannot connect to " + a.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    private static Response read(InputStream in, int maxBytes, boolean bodyOnlyFor200) throws IOException {
        String statusLine = line(in, new int[] {MAX_HEADER_BYTES});
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x answer: " + cut(statusLine));
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + cut(statusLine));
        }
        Map<String, String> headers = new HashMap<>();
        int[] budget = {MAX_HEADER_BYTES};
        for (String h = line(in, budget); !h.isEmpty(); h = line(in, budget)) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new IOException("malformed header field: " + cut(h));
            headers.putIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (status != 200 && bodyOnlyFor200) return new Response(status, Map.copyOf(headers), new byte[0]);
        String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        byte[] body;
        if (encoding.contains("chunked")) {
            body = chunked(in, maxBytes);
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length: " + cut(headers.get("content-length")));
            }
            if (length < 0) throw new IOException("malformed Content-Length: " + length);
            if (length > maxBytes) throw new BodyTooLarge(maxBytes);
            body = in.readNBytes((int) length);
            if (body.length < length) throw new IOException("the answer ended after " + body.length + " of " + length + " bytes");
        } else {
            body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) throw new BodyTooLarge(maxBytes);
        }
        return new Response(status, Map.copyOf(headers), body);
    }

    private static byte[] chunked(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] budget = {MAX_HEADER_BYTES};
        while (true) {
            String sizeLine = line(in, budget);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + cut(sizeLine));
            }
            if (size == 0) return body.toByteArray(); // trailers are not read: the connection closes
            if (size < 0 || body.size() + size > maxBytes) throw new BodyTooLarge(maxBytes);
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) throw new IOException("the answer ended inside a chunk");
            body.write(chunk);
            if (!line(in, budget).isEmpty()) throw new IOException("a chunk did not end with CRLF");
        }
    }

    /** A line without its CRLF (or LF), counted against {@code budget}. */
    private static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("the answer ended before its header was complete");
            if (--budget[0] < 0) throw new IOException("HTTP header longer than " + MAX_HEADER_BYTES + " bytes");
            if (c == '\n') break;
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static int remaining(Instant deadline) throws SocketTimeoutException {
        long ms = Duration.between(Instant.now(), deadline).toMillis();
        if (ms <= 0) throw new SocketTimeoutException("deadline passed");
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static String cut(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
