package dev.doublelock.smtp.server;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A started server on loopback port 0 whose sessions are recorded by {@link RecordingHandler}s. */
final class ServerFixture implements AutoCloseable {
    final SmtpServer server;
    private final BlockingQueue<RecordingHandler> handlers = new LinkedBlockingQueue<>();

    ServerFixture(SmtpLimits limits, StartTlsSupport startTls) throws IOException {
        server = SmtpServer.builder().hostName("mx.test").limits(limits).startTls(startTls)
                .handlerFactory(info -> {
                    RecordingHandler h = new RecordingHandler(info);
                    handlers.add(h);
                    return h;
                }).build().start();
    }

    static ServerFixture plain() throws IOException {
        return new ServerFixture(SmtpLimits.defaults(), new StartTlsSupport.NotAdvertised());
    }

    static ServerFixture withLimits(SmtpLimits limits) throws IOException {
        return new ServerFixture(limits, new StartTlsSupport.NotAdvertised());
    }

    int port() {
        return server.port();
    }

    TestSmtpClient client() throws IOException {
        return TestSmtpClient.connectGreeted(port());
    }

    /** The handler of the next session, in accept order. */
    RecordingHandler nextHandler() throws InterruptedException {
        RecordingHandler h = handlers.poll(20, TimeUnit.SECONDS);
        if (h == null) {
            throw new AssertionError("no session was opened within 20 s");
        }
        return h;
    }

    @Override
    public void close() {
        server.close();
    }
}
