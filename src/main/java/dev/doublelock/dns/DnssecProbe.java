package dev.doublelock.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Finds out, once per resolver, whether it passes DNSSEC data ({@link DnssecSupport}): asks the upstream server
 * directly (not through the validator) for the DNSKEY RRset at the trust anchor's owner name, with the DO bit
 * (RFC 3225 §3: "the DO bit … indicates that the resolver is able to accept DNSSEC security RRs") and CD (so a
 * validating upstream returns what it has rather than judging it), and looks for the RRSIGs covering it
 * (RFC 4035 §3.1.1: a DO query to a signed zone gets them). The validator starts every chain from exactly that
 * RRset, so a resolver that drops its signatures makes every signed answer look bogus.
 *
 * <p>A definite result is kept for an hour, "unknown" (no answer, SERVFAIL, REFUSED) for a minute; concurrent
 * callers share one probe. One probe is bounded by the given timeout.
 */
final class DnssecProbe {
    private static final long KEEP_DEFINITE = Duration.ofHours(1).toNanos();
    private static final long KEEP_UNKNOWN = Duration.ofMinutes(1).toNanos();

    private final Resolver upstream;
    private final Name zone;
    private final String resolverName;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile DnssecSupport last;
    private volatile long lastAt;

    /**
     * @param upstream     the server queries go to (its own per-query timeout applies too)
     * @param zone         a name with a signed DNSKEY RRset: the trust anchor's owner, the root for the IANA anchor
     * @param resolverName how the evidence names the resolver, e.g. {@code resolver 192.168.1.1:53}
     * @param timeout      longest wait for the probe's answer (a TCP retry included)
     */
    DnssecProbe(Resolver upstream, Name zone, String resolverName, Duration timeout, LongSupplier nanoTime) {
        this.upstream = upstream;
        this.zone = zone;
        this.resolverName = resolverName;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** The cached result, probing first when there is none or it is too old. */
    DnssecSupport current() {
        DnssecSupport known = fresh();
        if (known != null) {
            return known;
        }
        lock.lock();
        try {
            known = fresh();
            if (known == null) {
                known = probe();
                lastAt = nanoTime.getAsLong();
                last = known;
            }
            return known;
        } finally {
            lock.unlock();
        }
    }

    /** The cached result without probing; null when nothing (fresh) is known yet. */
    DnssecSupport fresh() {
        DnssecSupport known = last;
        if (known == null) {
            return null;
        }
        long keep = known.state() == DnssecSupport.State.UNKNOWN ? KEEP_UNKNOWN : KEEP_DEFINITE;
        return nanoTime.getAsLong() - lastAt < keep ? known : null;
    }

    private DnssecSupport probe() {
        Message query = Message.newQuery(Record.newRecord(zone, Type.DNSKEY, DClass.IN));
        query.getHeader().setFlag(Flags.CD);
        query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        try {
            Message response = upstream.sendAsync(query).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return classify(response, zone, resolverName);
        } catch (TimeoutException e) {
            return noAnswer();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return noAnswer();
            }
            return DnssecSupport.unknown(resolverName + ": the question " + question(zone) + " failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DnssecSupport.unknown(resolverName + ": interrupted while asking " + question(zone));
        }
    }

    private DnssecSupport noAnswer() {
        return DnssecSupport.unknown(resolverName + " did not answer " + question(zone) + " within "
                + timeout.toMillis() + " ms");
    }

    /** Judges one response to the DO query for {@code zone}'s DNSKEY RRset. */
    static DnssecSupport classify(Message response, Name zone, String resolverName) {
        String q = question(zone);
        int rcode = response.getRcode();
        if (rcode == Rcode.FORMERR) {
            return DnssecSupport.withholds(resolverName + " rejected " + q + " as a format error: it does not speak "
                    + "EDNS, so it cannot carry the DO bit or any DNSSEC data");
        }
        if (rcode != Rcode.NOERROR) {
            return DnssecSupport.unknown(resolverName + " answered " + Rcode.string(rcode) + " to " + q);
        }
        int keys = 0;
        int sigs = 0;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == Type.DNSKEY && r.getName().equals(zone)) {
                keys++;
            } else if (r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.DNSKEY && r.getName().equals(zone)) {
                sigs++;
            }
        }
        if (sigs > 0) {
            return DnssecSupport.passes(resolverName + " returned " + keys + " DNSKEY and " + sigs + " RRSIG record(s) for "
                    + q);
        }
        if (keys == 0 && !response.getHeader().getFlag(Flags.AA) && !response.getHeader().getFlag(Flags.RA)) {
            return DnssecSupport.unknown(resolverName + " gave no answer to " + q
                    + " and is neither authoritative for it nor recursive");
        }
        if (response.getOPT() == null) {
            return DnssecSupport.withholds(resolverName + " answered " + q + " without EDNS (no OPT record) and without "
                    + "any RRSIG: it drops DNSSEC data");
        }
        if (keys > 0) {
            return DnssecSupport.withholds(resolverName + " returned " + keys + " DNSKEY record(s) for " + q
                    + " but no RRSIG: it strips DNSSEC signatures");
        }
        return DnssecSupport.withholds(resolverName + " returned no DNSKEY and no RRSIG records for " + q
                + " (the zone is signed): it strips DNSSEC data");
    }

    private static String question(Name zone) {
        return "'" + zone + " DNSKEY' with the DO bit";
    }
}
