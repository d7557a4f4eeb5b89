package dev.doublelock.tls.probe;

import dev.doublelock.tls.Exposure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * The shape of the record-level vulnerability probes: one connection, one ClientHello, the server's first flight,
 * then whatever the probe sends and the server's reaction. A connection that never gets that far is reported
 * in {@code untested} under the probe's name.
 */
final class FlightProbe {
    private FlightProbe() {
    }

    /** What a probe does once the flight has been read. Returns null when it could not tell (with why). */
    interface AfterFlight {
        Exposure react(ServerReply flight, Connector.Opened c, Deadline deadline, Consumer<String> why) throws IOException;
    }

    static Exposure run(HelloExchange exchange, String name, ClientHello hello, AfterFlight after, Consumer<String> untested) {
        StringBuilder why = new StringBuilder();
        HelloExchange.Connected<Exposure> r;
        try {
            r = exchange.connect((c, deadline) -> {
                OutputStream out = c.socket().getOutputStream();
                out.write(ClientHelloWriter.record(hello));
                out.flush();
                ServerReply flight = ServerFlightReader.read(c.in());
                return after.react(flight, c, deadline, why::append);
            });
        } catch (java.io.UncheckedIOException e) {
            untested.accept(name + ": I/O error: " + e.getCause().getMessage());
            return null;
        }
        return switch (r) {
            case HelloExchange.Connected.Used<Exposure> u -> {
                if (u.value() == null) untested.accept(name + ": " + (why.isEmpty() ? "no conclusive answer" : why));
                yield u.value();
            }
            case HelloExchange.Connected.NotReached<Exposure> n -> {
                untested.accept(name + ": " + n.outcome().status() + ": " + n.outcome().detail());
                yield null;
            }
            case HelloExchange.Connected.NoSlot<Exposure> n -> {
                untested.accept(name + ": " + n.reason());
                yield null;
            }
        };
    }

    /** The flight of a hello the server accepted before must be complete (to ServerHelloDone) for the probe to go on. */
    static boolean complete(ServerReply flight, int version, Consumer<String> why) {
        if (flight instanceof ServerReply.Answered a && a.hello().version() == version && !a.hello().helloRetryRequest()) {
            return true;
        }
        why.accept("the server did not answer a hello it had accepted before (" + describe(flight) + ")");
        return false;
    }

    static String describe(ServerReply r) {
        return switch (r) {
            case ServerReply.Answered a -> String.format("answered with version 0x%04X", a.hello().version());
            case ServerReply.Refused f -> f.reason();
            case ServerReply.Failed f -> f.reason();
        };
    }
}
