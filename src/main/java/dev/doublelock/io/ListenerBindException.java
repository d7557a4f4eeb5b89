package dev.doublelock.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * A listener could not bind its address: the port is in use, or the user may not bind it. Names the
 * listener ("submission", "relay", "metrics", "lab profile good", "lab web") so that the command line can say
 * which flag or config key moves it.
 */
public final class ListenerBindException extends IOException {
    private final String listener;
    private final InetSocketAddress address;

    /**
     * @param hint what moves the listener, in the words of its command line or config file
     *             ("change submission.listen in the config", "choose another --web-port")
     */
    public ListenerBindException(String listener, InetSocketAddress address, String hint, IOException cause) {
        super(describe(listener, address, cause) + "; " + hint + ", or stop what holds the port", cause);
        this.listener = listener;
        this.address = address;
    }

    /** What listens: "submission", "relay", "metrics", "lab profile NAME", "lab web", "lab DNS". */
    public String listener() {
        return listener;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** True when the address is taken (rather than, say, a port below 1024 without the right). */
    public boolean inUse() {
        String m = getCause() == null || getCause().getMessage() == null ? "" : getCause().getMessage().toLowerCase(Locale.ROOT);
        return m.contains("in use");
    }

    private static String describe(String listener, InetSocketAddress address, IOException cause) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return "cannot listen on " + where + " for the " + listener + " listener: " + why;
    }
}
