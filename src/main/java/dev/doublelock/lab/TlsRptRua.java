package dev.doublelock.lab;

import org.xbill.DNS.Name;

import java.util.OptionalInt;

/**
 * Where the lab's TLS-RPT records (RFC 8460 §3) send reports: always by mail to the lab's inbox
 * ({@link TlsReportInbox#MAILBOX}@good.<zone>), and — when the lab runs its HTTPS policy host — by HTTPS POST to
 * {@code https://tlsrpt.<zone>[:port]/tlsrpt} there (RFC 8460 §3 allows only https for HTTP reporting).
 *
 * @param httpsPort the policy host's port (none: reports by mail only)
 */
public record TlsRptRua(OptionalInt httpsPort) {
    /** The host name of the lab's HTTPS report endpoint, below the zone. */
    public static final String HTTPS_HOST_LABEL = "tlsrpt";
    /** The path reports are POSTed to (on the lab web too). */
    public static final String PATH = "/tlsrpt";

    public TlsRptRua {
        httpsPort.ifPresent(p -> {
            if (p <= 0 || p > 65535) throw new IllegalArgumentException("not a port: " + p);
        });
    }

    public static TlsRptRua mailOnly() {
        return new TlsRptRua(OptionalInt.empty());
    }

    /** Mail, and HTTPS to the policy host listening on {@code port}. */
    public static TlsRptRua mailAndHttps(int port) {
        return new TlsRptRua(OptionalInt.of(port));
    }

    /** {@code tlsrpt.<zone>}: the name the policy host answers report POSTs for. */
    public static Name httpsHost(Name zone) {
        return Name.fromConstantString(HTTPS_HOST_LABEL + "." + zone);
    }

    /** The record's text: {@code v=TLSRPTv1; rua=mailto:…[,https://…]}. */
    public String record(Name zone) {
        String good = LabZone.domain(LabProfile.GOOD, zone).toString(true);
        StringBuilder s = new StringBuilder("v=TLSRPTv1; rua=mailto:" + TlsReportInbox.MAILBOX + "@" + good);
        httpsPort.ifPresent(port -> s.append(",https://").append(httpsHost(zone).toString(true))
                .append(port == 443 ? "" : ":" + port).append(PATH));
        return s.toString();
    }
}
