package dev.doublelock.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * A resolver made on first use. {@code check 127.0.0.1:25} asks the DNS nothing, so it should not pay for
 * reading the system's resolver configuration and probing it for DNSSEC (a fifth of a second at start).
 */
public final class LazyResolver implements MailResolver {
    private final dev.doublelock.io.Lazy<MailResolver> resolver;

    public LazyResolver(Supplier<? extends MailResolver> factory) {
        this.resolver = dev.doublelock.io.Lazy.of(factory, "resolver");
    }

    private MailResolver resolver() {
        return resolver.get();
    }

    @Override
    public Lookup<List<MxHost>> mx(String domain) {
        return resolver().mx(domain);
    }

    @Override
    public Lookup<List<InetAddress>> addresses(String host) {
        return resolver().addresses(host);
    }

    @Override
    public Lookup<List<String>> txt(String name) {
        return resolver().txt(name);
    }

    @Override
    public Lookup<List<TlsaRecord>> tlsa(String name) {
        return resolver().tlsa(name);
    }

    @Override
    public Lookup<String> canonicalName(String host) {
        return resolver().canonicalName(host);
    }

    @Override
    public DnssecSupport dnssecSupport() {
        return resolver().dnssecSupport();
    }
}
