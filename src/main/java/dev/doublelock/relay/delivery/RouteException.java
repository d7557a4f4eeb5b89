package dev.doublelock.relay.delivery;

/**
 * No route to a recipient domain. {@link #permanent()} failures (null MX, non-existent domain) bounce the
 * recipients; transient ones (DNS server failure, timeout, no route configured) defer them.
 */
public final class RouteException extends RuntimeException {
    private final boolean permanent;
    private final String enhancedStatus;

    public RouteException(boolean permanent, String enhancedStatus, String message) {
        super(message);
        this.permanent = permanent;
        this.enhancedStatus = enhancedStatus;
    }

    public boolean permanent() {
        return permanent;
    }

    /** RFC 3463 status, e.g. {@code 5.1.10} for a null MX or {@code 4.4.3} for a DNS failure. */
    public String enhancedStatus() {
        return enhancedStatus;
    }
}
