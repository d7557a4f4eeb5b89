package dev.doublelock.smtp.server;

import java.time.Clock;

/** What every session of one server shares. */
record ServerContext(String hostName, SmtpLimits limits, StartTlsSupport startTls, Watchdog watchdog, Clock clock,
                     DataBudget dataBudget) {
}
