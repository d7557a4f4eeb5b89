package dev.doublelock.dns;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a response of dnsjava's {@link ValidatingResolver} into a {@link Lookup}: RCODE and answer
 * section into Found/NxDomain/NoData/ServFail, the AD bit (set only by local validation) into the
 * authentic flag, and the validator's reason record into a Bogus reason.
 */
final class AnswerReader {
    private AnswerReader() {
    }

    /** Records of {@code type} in the answer section (following any CNAME chain the server included). */
    static <R extends Record, T> Lookup<List<T>> read(Message response, int type, Class<R> recordClass,
                                                     Function<R, T> convert) {
        boolean authentic = response.getHeader().getFlag(Flags.AD);
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Lookup.NxDomain<>(authentic);
        }
        if (rcode != Rcode.NOERROR) {
            return new Lookup.ServFail<>("server answered " + Rcode.string(rcode));
        }
        List<T> values = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type && recordClass.isInstance(r)) {
                values.add(convert.apply(recordClass.cast(r)));
            }
        }
        return values.isEmpty() ? new Lookup.NoData<>(authentic) : new Lookup.Found<>(List.copyOf(values), authentic);
    }

    /** Why the validator rejected a response: its reason TXT record, else its extended DNS error, else a generic text. */
    static String validationReason(Message response) {
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if (r instanceof TXTRecord txt && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return String.join("", txt.getStrings());
            }
        }
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            for (EDNSOption o : opt.getOptions()) {
                if (o instanceof ExtendedErrorCodeOption ede) {
                    String text = ede.getText();
                    return ExtendedErrorCodeOption.text(ede.getErrorCode()) + (text == null ? "" : ": " + text);
                }
            }
        }
        return "DNSSEC validation failed (no reason given by the validator)";
    }
}
