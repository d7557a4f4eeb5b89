package dev.doublelock.lab;

import dev.doublelock.dns.server.ZoneBuilder;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.util.List;

/**
 * The MTA-STS scenarios' records in the lab zone: per scenario domain its MX ({@code mx.<domain>}) with the address
 * of the scenario's SMTP endpoint, {@code mta-sts.<domain>} with the policy host's address, the {@code _mta-sts} TXT
 * record (RFC 8461 §3.1) and the domain's TLS-RPT record (RFC 8460 §3), the same as every profile's: mail, and HTTPS
 * to {@code tlsrpt.<zone>} on the policy host (whose address that name gets here too).
 */
public final class MtaStsZone {
    private MtaStsZone() {
    }

    /**
     * @param mxAddresses       each scenario MX endpoint's address (none or a wildcard address: no address record)
     * @param policyHost        the policy host's address (likewise) and port (in the TLS-RPT record's https URI)
     */
    public static ZoneBuilder addTo(ZoneBuilder b, Name zone, java.util.Map<MtaStsScenario, InetAddress> mxAddresses,
                                    java.net.InetSocketAddress policyHost) {
        InetAddress policyHostAddress = policyHost.getAddress();
        String tlsRpt = rua(policyHost).record(zone);
        if (!policyHostAddress.isAnyLocalAddress()) b.address(TlsRptRua.httpsHost(zone), policyHostAddress);
        for (MtaStsScenario s : MtaStsScenario.values()) {
            Name domain = s.domain(zone);
            b.mx(domain, 10, s.mxHost(zone));
            InetAddress mxAddress = mxAddresses.get(s);
            if (mxAddress != null && !mxAddress.isAnyLocalAddress()) b.address(s.mxHost(zone), mxAddress);
            if (!policyHostAddress.isAnyLocalAddress()) b.address(s.policyHost(zone), policyHostAddress);
            b.txt(s.recordName(zone), List.of(s.record(zone)));
            b.txt(LabZone.tlsRptName(domain), List.of(tlsRpt));
        }
        return b;
    }

    /** The TLS-RPT addresses of a lab whose policy host listens at {@code policyHost}: mail and HTTPS there. */
    public static TlsRptRua rua(java.net.InetSocketAddress policyHost) {
        return TlsRptRua.mailAndHttps(policyHost.getPort());
    }
}
