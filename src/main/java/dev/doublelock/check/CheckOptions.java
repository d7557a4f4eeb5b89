package dev.doublelock.check;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.doublelock.tls.probe.ProbeOptions;

/**
 * How to check: which policy year, whom to trust, which name to expect and where SMTP listens.
 *
 * @param complianceYear the year BSI "use until" dates are judged for ({@code --year})
 * @param extraAnchors   CAs trusted in addition to the JDK's store ({@code --trust PEM})
 * @param referenceName  the name every certificate must carry instead of the MX host / endpoint host ({@code --name})
 * @param smtpPort       the port MX hosts are probed on (25; tests point it elsewhere)
 * @param probe          prober timeouts, versions and enumeration
 * @param clock          "now" for expiry and the report's time stamp
 * @param probeReuse     how many MX addresses one runner remembers so that a batch probes each once and judges every
 *                       MX name on it against that probe; 0 probes every host of every target afresh
 *                       ({@code --no-probe-reuse}); {@code check} uses {@link #DEFAULT_PROBE_REUSE}, a long-lived
 *                       runner that must see servers change keeps 0
 */
public record CheckOptions(int complianceYear, List<X509Certificate> extraAnchors, Optional<String> referenceName,
                           int smtpPort, ProbeOptions probe, Clock clock, int probeReuse) {
    public static final int SMTP_PORT = 25;
    /** Enough for the distinct MX addresses of a large batch; an observation is some kilobytes. */
    public static final int DEFAULT_PROBE_REUSE = 4096;

    public CheckOptions(int complianceYear, List<X509Certificate> extraAnchors, Optional<String> referenceName,
                        int smtpPort, ProbeOptions probe, Clock clock) {
        this(complianceYear, extraAnchors, referenceName, smtpPort, probe, clock, 0);
    }

    public CheckOptions {
        extraAnchors = List.copyOf(extraAnchors);
        Objects.requireNonNull(referenceName, "referenceName");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(clock, "clock");
        if (probeReuse < 0) throw new IllegalArgumentException("probeReuse must not be negative, got " + probeReuse);
        if (smtpPort < 1 || smtpPort > 65535) throw new IllegalArgumentException("SMTP port must be 1..65535, got " + smtpPort);
    }

    public CheckOptions withProbeReuse(int entries) {
        return new CheckOptions(complianceYear, extraAnchors, referenceName, smtpPort, probe, clock, entries);
    }

    /** This year, no extra anchors, MX host names, port 25, the prober's defaults. */
    public static CheckOptions defaults() {
        Clock clock = Clock.systemUTC();
        return new CheckOptions(clock.instant().atZone(clock.getZone()).getYear(), List.of(), Optional.empty(),
                SMTP_PORT, ProbeOptions.defaults(), clock);
    }
}
