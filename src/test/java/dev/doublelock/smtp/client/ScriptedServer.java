package dev.doublelock.smtp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection raw SMTP "server" on loopback port 0 that follows a script, for misbehaviour the real
 * server never shows: wrong greetings, silence, garbage, injected bytes. Records every line it receives.
 */
final class ScriptedServer implements AutoCloseable {
    /** What the server does with its one connection. */
    @FunctionalInterface
    interface Script {
        void run(Peer peer) throws Exception;
    }

    /** The server's end of the connection. */
    static final class Peer {
        final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        final List<String> received = new CopyOnWriteArrayList<>();

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.socket.setSoTimeout(10_000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** One CRLF line, or null at end of stream. */
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (prev == '\r' && b == '\n') {
                    byte[] bytes = line.toByteArray();
                    String s = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                    received.add(s);
                    return s;
                }
                line.write(b);
                prev = b;
            }
        }

        /** Reads a line and fails the script unless it starts with {@code prefix}. */
        String expect(String prefix) throws IOException {
            String line = readLine();
            if (line == null || !line.startsWith(prefix)) {
                throw new IOException("expected " + prefix + ", got " + line);
            }
            return line;
        }

        void send(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Waits until the client closes (or 10 s pass), reading and recording what it still sends. */
        void awaitClientClose() throws IOException {
            try {
                while (readLine() != null) {
                    // keep recording
                }
            } catch (SocketTimeoutException | java.net.SocketException ignored) {
                // the client is gone or silent
            }
        }
    }

    private final ServerSocket listener;
    private final CompletableFuture<Peer> done = new CompletableFuture<>();

    ScriptedServer(Script script) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("scripted-smtp").start(() -> {
            try (Socket s = listener.accept()) {
                Peer peer = new Peer(s);
                try {
                    script.run(peer);
                    done.complete(peer);
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** The peer after the script finished; rethrows what the script threw. */
    Peer finished() throws Exception {
        return done.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
