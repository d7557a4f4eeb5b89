package dev.doublelock.relay;

import dev.doublelock.dns.DnssecSupport;
import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.dns.TlsaRecord;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link MailResolver} that runs an action once, just before its first lookup, then only delegates. The relay
 * uses it to probe the system's resolver for DNSSEC support when DNS is first needed rather than at start: a relay
 * whose mail all goes over static routes (and every test relay) never sends a DNS query.
 */
final class FirstUseResolver implements MailResolver {
    private final MailResolver delegate;
    private final AtomicReference<Runnable> onFirstUse = new AtomicReference<>();

    FirstUseResolver(MailResolver delegate) {
        this.delegate = delegate;
    }

    /** The action to run before the first lookup (replaces an earlier one that has not run yet). */
    void onFirstUse(Runnable action) {
        onFirstUse.set(action);
    }

    private void used() {
        Runnable action = onFirstUse.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    @Override
    public Lookup<List<MxHost>> mx(String domain) {
        used();
        return delegate.mx(domain);
    }

    @Override
    public Lookup<List<InetAddress>> addresses(String host) {
        used();
        return delegate.addresses(host);
    }

    @Override
    public Lookup<List<String>> txt(String name) {
        used();
        return delegate.txt(name);
    }

    @Override
    public Lookup<List<TlsaRecord>> tlsa(String name) {
        used();
        return delegate.tlsa(name);
    }

    @Override
    public Lookup<String> canonicalName(String host) {
        used();
        return delegate.canonicalName(host);
    }

    /** Not a lookup: asking does not count as first use. */
    @Override
    public DnssecSupport dnssecSupport() {
        return delegate.dnssecSupport();
    }
}
