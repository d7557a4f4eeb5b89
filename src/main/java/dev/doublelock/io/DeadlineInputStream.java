package dev.doublelock.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An input stream with two read deadlines per unit of input (an SMTP command line, a DATA line):
 * the <em>idle</em> deadline bounds the wait for the first octet, the <em>unit</em> deadline bounds
 * the whole unit once its first octet arrived. So a client that trickles one octet a second is cut off
 * after the unit deadline, while a client that pauses between commands is judged by the idle one.
 * Deadlines are enforced through the socket's read timeout, set before every blocking read; a read
 * past the deadline throws {@link SocketTimeoutException}.
 */
public final class DeadlineInputStream extends FilterInputStream {
    /** Sets the socket read timeout in milliseconds (Socket::setSoTimeout). */
    @FunctionalInterface
    public interface ReadTimeoutSetter {
        void setReadTimeout(int millis) throws IOException;
    }

    private final ReadTimeoutSetter timeoutSetter;
    private final Clock clock;
    private Duration unitTimeout = Duration.ofMinutes(5);
    private Instant idleDeadline;
    private Instant unitDeadline;

    public DeadlineInputStream(InputStream in, ReadTimeoutSetter timeoutSetter, Clock clock) {
        super(in);
        this.timeoutSetter = timeoutSetter;
        this.clock = clock;
        this.idleDeadline = clock.instant().plus(unitTimeout);
    }

    /**
     * Starts a new unit of input.
     *
     * @param idle          the longest wait for the unit's first octet
     * @param unit          the longest time for the whole unit once it has started
     * @param alreadyStarted the caller already holds octets of this unit (pipelined), so the unit clock starts now
     */
    public void beginUnit(Duration idle, Duration unit, boolean alreadyStarted) {
        Instant now = clock.instant();
        this.unitTimeout = unit;
        this.idleDeadline = now.plus(idle);
        this.unitDeadline = alreadyStarted ? now.plus(unit) : null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Instant now = clock.instant();
        Instant deadline = unitDeadline != null ? unitDeadline : idleDeadline;
        long millis = Duration.between(now, deadline).toMillis();
        if (millis <= 0) {
            throw new SocketTimeoutException(unitDeadline != null
                    ? "line not completed within " + unitTimeout.toMillis() + " ms" : "idle timeout");
        }
        timeoutSetter.setReadTimeout((int) Math.min(Integer.MAX_VALUE, millis));
        int n = in.read(b, off, len);
        if (n > 0 && unitDeadline == null) {
            unitDeadline = clock.instant().plus(unitTimeout);
        }
        return n;
    }
}
