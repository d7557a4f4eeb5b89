package dev.doublelock.smtp.server;

import dev.doublelock.io.Transcript;
import dev.doublelock.smtp.Replies;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP server (RFC 5321, ESMTP with PIPELINING, SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES and
 * STARTTLS per RFC 3207) with MTA-grade limits: bounded lines, deadlines per line, a connection cap,
 * an error cap, and CRLF-only line endings (no SMTP smuggling). Each connection runs on its own virtual
 * thread; what the session means (record it, queue the mail) is the {@link SessionHandler}'s business.
 * <pre>{@code
 * try (SmtpServer server = SmtpServer.builder().hostName("mx.example").handlerFactory(info -> handler)
 *         .startTls(new StartTlsSupport.Offered(upgrader)).build().start()) { ... server.port() ... }
 * }</pre>
 */
public final class SmtpServer implements AutoCloseable {
    private static final int TRANSCRIPT_LINES = 500;
    private final InetSocketAddress bindAddress;
    private final ServerContext context;
    private final SessionHandlerFactory handlerFactory;
    private final Semaphore slots;
    private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Session ids ("queued as" ids, record ids) are unique in the process and, with overwhelming probability, across
     * processes: one prefix per process (start time and 40 random bits, base 36) and one counter shared by every server
     * in it. A prefix per server made from the clock alone gave two lab profiles started in the same millisecond the
     * same ids.
     */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String ID_PREFIX = Long.toString(System.currentTimeMillis(), 36)
            + Long.toString(new java.security.SecureRandom().nextLong() >>> 24, 36);
    private ServerSocket serverSocket;
    private Thread acceptor;
    private volatile boolean closed;

    private SmtpServer(Builder b) {
        this.bindAddress = b.bind;
        this.handlerFactory = b.handlerFactory;
        this.context = new ServerContext(b.hostName, b.limits, b.startTls, new Watchdog(), b.clock,
                new DataBudget(b.limits.maxBufferedDataBytes()));
        this.slots = new Semaphore(b.limits.maxConnections());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts accepting; returns this. */
    public synchronized SmtpServer start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("server already started; build a new one to listen again");
        }
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(bindAddress, 256);
        acceptor = Thread.ofPlatform().daemon().name("smtp-accept-" + port()).start(this::acceptLoop);
        return this;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                pauseAfterAcceptFailure(); // e.g. out of file descriptors: do not spin
                continue;
            }
            if (!slots.tryAcquire()) {
                Thread.ofVirtual().start(() -> refuse(socket));
                continue;
            }
            Thread.ofVirtual().name("smtp-session").start(() -> {
                try {
                    serve(socket);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private static void pauseAfterAcceptFailure() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuse(Socket socket) {
        Watchdog.Guard guard = context.watchdog().arm(context.limits().commandTimeout(), () -> close(socket));
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(Replies.TOO_MANY_CONNECTIONS.toWire().getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the refused client is gone already
        } finally {
            guard.close();
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private void serve(Socket socket) {
        ConnectionInfo info = new ConnectionInfo((InetSocketAddress) socket.getRemoteSocketAddress(),
                (InetSocketAddress) socket.getLocalSocketAddress(), context.clock().instant(),
                ID_PREFIX + "-" + SEQUENCE.incrementAndGet());
        SmtpSession session;
        try {
            socket.setTcpNoDelay(true);
            SessionHandler handler = Objects.requireNonNull(handlerFactory.open(info), "handlerFactory returned null");
            session = new SmtpSession(context, info, new Connection(socket, context.clock()), handler,
                    new Transcript(context.clock(), TRANSCRIPT_LINES));
        } catch (IOException | RuntimeException e) {
            close(socket);
            return;
        }
        sessions.add(session);
        try {
            if (closed) {
                session.shutdown();
            }
            session.run();
        } finally {
            sessions.remove(session);
        }
    }

    /** Stops accepting, ends every session (SERVER_SHUTDOWN) and waits briefly for them to finish. */
    @Override
    public void close() {
        closed = true;
        if (serverSocket != null) {
            close(serverSocket);
        }
        sessions.forEach(SmtpSession::shutdown);
        try {
            if (acceptor != null) {
                acceptor.join(TimeUnit.SECONDS.toMillis(5));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!sessions.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.watchdog().close();
    }

    private static void close(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Builds a server; every setting has a safe default (loopback port 0, "localhost", RFC limits, no STARTTLS). */
    public static final class Builder {
        private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private String hostName = "localhost";
        private SmtpLimits limits = SmtpLimits.defaults();
        private StartTlsSupport startTls = new StartTlsSupport.NotAdvertised();
        private SessionHandlerFactory handlerFactory = info -> new SessionHandler() {
        };
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder bind(InetSocketAddress address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder hostName(String name) {
            if (name == null || name.isBlank() || name.contains(" ")) {
                throw new IllegalArgumentException("hostName must be a domain name such as mx.example.org, got: " + name);
            }
            this.hostName = name;
            return this;
        }

        public Builder limits(SmtpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder startTls(StartTlsSupport support) {
            this.startTls = Objects.requireNonNull(support, "support");
            return this;
        }

        public Builder handlerFactory(SessionHandlerFactory factory) {
            this.handlerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** The clock for timestamps and deadlines (tests may pass a fixed offset; deadlines need a ticking clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SmtpServer build() {
            return new SmtpServer(this);
        }
    }
}
