package dev.doublelock.io;

/**
 * Bounds for the JDK's built-in HTTP server (lab page, relay metrics): a request must arrive whole within
 * {@value #MAX_REQUEST_SECONDS} s and an answer be taken within {@value #MAX_RESPONSE_SECONDS} s, idle keep-alive
 * connections close after {@value #IDLE_SECONDS} s. The JDK reads these system properties once, when its first
 * server starts, so every server of ours calls {@link #apply()} before it is created; a value the operator set
 * on the command line wins.
 */
public final class HttpServerTimeouts {
    public static final int MAX_REQUEST_SECONDS = 30;
    public static final int MAX_RESPONSE_SECONDS = 60;
    public static final int IDLE_SECONDS = 30;

    private HttpServerTimeouts() {
    }

    public static void apply() {
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
        setIfAbsent("sun.net.httpserver.idleInterval", IDLE_SECONDS);
    }

    private static void setIfAbsent(String key, int seconds) {
        if (System.getProperty(key) == null) System.setProperty(key, Integer.toString(seconds));
    }
}
