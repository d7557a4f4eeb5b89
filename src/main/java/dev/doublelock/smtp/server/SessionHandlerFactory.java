package dev.doublelock.smtp.server;

/** Makes one {@link SessionHandler} per accepted connection. */
@FunctionalInterface
public interface SessionHandlerFactory {
    SessionHandler open(ConnectionInfo info);
}
