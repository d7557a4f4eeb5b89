package dev.doublelock.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link MailResolver} on dnsjava. Queries go to one configured server ({@code --resolver HOST:PORT})
 * or to the system's resolvers; every response passes through dnsjava's {@link ValidatingResolver},
 * which checks DNSSEC signatures locally from the configured trust anchors (default: the IANA root
 * KSK shipped as {@code root-anchors.txt}). Truncated UDP answers are retried over TCP.
 *
 * <p>Validation needs the resolver to pass DNSSEC data through. Whether it does is found out once
 * ({@link #dnssecSupport()}); behind a resolver that withholds it (many home routers), an answer the validator
 * rejects is read as it came, not validated ({@code authentic=false}), instead of {@link Lookup.Bogus}: the
 * missing signatures say nothing about the domain.
 *
 * <p>Build one with {@link #builder()}; instances are thread-safe.
 */
public final class DnsjavaResolver implements MailResolver {
    /** Longest CNAME chain followed in an answer (RFC 1034 resolvers bound it the same way). */
    private static final int MAX_CNAME_HOPS = 16;

    private final ValidatingResolver resolver;
    private final Duration overallTimeout;
    private final MxOrder mxOrder;
    private final DnssecProbe dnssec;

    /** @param name the resolver in words, for evidence: {@code resolver 127.0.0.1:5353} */
    DnsjavaResolver(Resolver upstream, String name, TrustAnchors anchors, Duration timeout, MxOrder mxOrder) {
        upstream.setTimeout(timeout);
        this.resolver = new ValidatingResolver(upstream);
        anchors.loadInto(resolver);
        // validation may need a few more round trips (DNSKEY, DS) and a TCP retry
        this.overallTimeout = timeout.multipliedBy(8);
        this.mxOrder = mxOrder;
        // the probe's own question: one UDP round trip, perhaps a TCP retry
        this.dnssec = new DnssecProbe(upstream, anchors.zone(), name, timeout.multipliedBy(3), System::nanoTime);
    }

    public static DnsjavaResolverBuilder builder() {
        return new DnsjavaResolverBuilder();
    }

    /**
     * Whether the configured resolver passes DNSSEC data: a DO query for the trust anchor zone's DNSKEY RRset (the
     * root's, by default), sent once and cached (an hour; a minute when the answer told nothing). Blocks at most a
     * few query timeouts on the first call.
     */
    @Override
    public DnssecSupport dnssecSupport() {
        return dnssec.current();
    }

    @Override
    public Lookup<List<MxHost>> mx(String domain) {
        Name name = parse(domain);
        Lookup<List<MXRecord>> raw = query(name, Type.MX, MXRecord.class, r -> r);
        return switch (raw) {
            case Lookup.Found<List<MXRecord>>(List<MXRecord> records, boolean authentic) -> mxHosts(records, authentic);
            // RFC 5321 §5.1: no MX records → the domain itself, preference 0
            case Lookup.NoData<List<MXRecord>>(boolean authentic) ->
                    new Lookup.Found<>(List.of(new MxHost(text(name), 0, true)), authentic);
            case Lookup.NxDomain<List<MXRecord>>(boolean authentic) -> new Lookup.NxDomain<>(authentic);
            case Lookup.NullMx<List<MXRecord>>(boolean authentic) -> new Lookup.NullMx<>(authentic);
            case Lookup.ServFail<List<MXRecord>>(String reason) -> new Lookup.ServFail<>(reason);
            case Lookup.Bogus<List<MXRecord>>(String reason) -> new Lookup.Bogus<>(reason);
            case Lookup.Timeout<List<MXRecord>> t -> new Lookup.Timeout<>();
        };
    }

    private Lookup<List<MxHost>> mxHosts(List<MXRecord> records, boolean authentic) {
        List<MxHost> hosts = new ArrayList<>();
        for (MXRecord r : records) {
            if (!r.getTarget().equals(Name.root)) { // RFC 7505: "." is never a host; ignore it beside real ones
                hosts.add(new MxHost(text(r.getTarget()), r.getPriority(), false));
            }
        }
        if (hosts.isEmpty()) {
            return new Lookup.NullMx<>(authentic);
        }
        return new Lookup.Found<>(mxOrder.order(hosts), authentic);
    }

    @Override
    public Lookup<List<InetAddress>> addresses(String host) {
        Name name = parse(host);
        Lookup<List<InetAddress>> v4 = query(name, Type.A, ARecord.class, ARecord::getAddress);
        Lookup<List<InetAddress>> v6 = query(name, Type.AAAA, AAAARecord.class, AAAARecord::getAddress);
        return AddressMerge.merge(v4, v6);
    }

    @Override
    public Lookup<List<String>> txt(String name) {
        return query(parse(name), Type.TXT, TXTRecord.class, r -> String.join("", r.getStrings()));
    }

    @Override
    public Lookup<List<TlsaRecord>> tlsa(String name) {
        return query(parse(name), Type.TLSA, TLSARecord.class, r -> new TlsaRecord(r.getCertificateUsage(),
                r.getSelector(), r.getMatchingType(), r.getCertificateAssociationData()));
    }

    @Override
    public Lookup<String> canonicalName(String host) {
        Name name = parse(host);
        return ask(name, Type.A, response -> {
            if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
                return new Lookup.ServFail<>("server answered " + Rcode.string(response.getRcode()));
            }
            Name current = name;
            for (int hops = 0; hops < MAX_CNAME_HOPS; hops++) {
                Name next = null;
                for (Record r : response.getSection(Section.ANSWER)) {
                    if (r instanceof CNAMERecord c && c.getName().equals(current)) {
                        next = c.getTarget();
                        break;
                    }
                }
                if (next == null) {
                    break;
                }
                current = next;
            }
            return new Lookup.Found<>(text(current), response.getHeader().getFlag(Flags.AD));
        });
    }

    private <R extends Record, T> Lookup<List<T>> query(Name name, int type, Class<R> recordClass,
                                                       java.util.function.Function<R, T> convert) {
        return ask(name, type, response -> AnswerReader.read(response, type, recordClass, convert));
    }

    /** Sends the validated query; SERVFAIL, bogus answers, timeouts and failures become lookups, the rest {@code read}s. */
    private <T> Lookup<T> ask(Name name, int type, java.util.function.Function<Message, Lookup<T>> read) {
        try {
            DnssecSupport known = dnssec.fresh();
            if (known != null && known.withheld()) {
                return unvalidated(name, type, send(name, type, true), read);
            }
            Message response = send(name, type, false);
            if (response.getRcode() == Rcode.SERVFAIL) {
                return servFailOrBogus(name, type, response, read);
            }
            return read.apply(response);
        } catch (TimeoutException e) {
            return new Lookup.Timeout<>();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return new Lookup.Timeout<>();
            }
            return new Lookup.ServFail<>("query " + text(name) + "/" + Type.string(type) + " failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup.ServFail<>("interrupted while resolving " + text(name));
        }
    }

    /**
     * The validator answers SERVFAIL both when the server failed and when validation failed. Asking
     * again with checking disabled (CD) tells them apart: a server that then answers was lied about.
     */
    private <T> Lookup<T> servFailOrBogus(Name name, int type, Message validated,
                                          java.util.function.Function<Message, Lookup<T>> read)
            throws ExecutionException, InterruptedException, TimeoutException {
        Message unchecked = send(name, type, true);
        if (unchecked.getRcode() == Rcode.SERVFAIL) {
            return new Lookup.ServFail<>("server answered SERVFAIL for " + text(name) + "/" + Type.string(type));
        }
        if (dnssec.current().withheld()) {
            // the signatures were stripped on the way: "could not validate", not "someone lied"
            return unvalidated(name, type, unchecked, read);
        }
        return new Lookup.Bogus<>(AnswerReader.validationReason(validated));
    }

    /** An answer read as it came from a resolver that withholds DNSSEC data: never authentic, whatever its AD bit. */
    private static <T> Lookup<T> unvalidated(Name name, int type, Message unchecked,
                                             java.util.function.Function<Message, Lookup<T>> read) {
        if (unchecked.getRcode() == Rcode.SERVFAIL) {
            return new Lookup.ServFail<>("server answered SERVFAIL for " + text(name) + "/" + Type.string(type));
        }
        unchecked.getHeader().unsetFlag(Flags.AD);
        return read.apply(unchecked);
    }

    private Message send(Name name, int type, boolean checkingDisabled)
            throws ExecutionException, InterruptedException, TimeoutException {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        return resolver.sendAsync(query).toCompletableFuture().get(overallTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Name parse(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a valid DNS name: '" + name + "' (" + e.getMessage() + ")", e);
        }
    }

    /** Lower-case name without the trailing dot. */
    private static String text(Name name) {
        return name.toString(true).toLowerCase(java.util.Locale.ROOT);
    }

    /** The resolver in words, for evidence: the configured server, or the system's list. */
    static String describe(String hostPort) {
        if (hostPort != null) {
            return "resolver " + hostPort;
        }
        List<String> servers = org.xbill.DNS.ResolverConfig.getCurrentConfig().servers().stream()
                .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList();
        return "the system resolver" + (servers.size() == 1 ? " " : "s ") + String.join(", ", servers);
    }

    /** Builds the upstream resolver for the builder: one server, or the system's list. */
    static Resolver upstream(String hostPort) {
        if (hostPort == null) {
            return new ExtendedResolver();
        }
        return ResolverAddress.parse(hostPort).simpleResolver();
    }
}
