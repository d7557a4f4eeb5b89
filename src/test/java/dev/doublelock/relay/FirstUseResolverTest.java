package dev.doublelock.relay;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.dns.TlsaRecord;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay probes the system's resolver only once DNS is used: the action runs once, at the first lookup. */
class FirstUseResolverTest {
    static final class Counting implements MailResolver {
        final AtomicInteger lookups = new AtomicInteger();

        public Lookup<List<MxHost>> mx(String domain) {
            lookups.incrementAndGet();
            return new Lookup.NxDomain<>(false);
        }

        public Lookup<List<InetAddress>> addresses(String host) {
            lookups.incrementAndGet();
            return new Lookup.NxDomain<>(false);
        }

        public Lookup<List<String>> txt(String name) {
            lookups.incrementAndGet();
            return new Lookup.NxDomain<>(false);
        }

        public Lookup<List<TlsaRecord>> tlsa(String name) {
            lookups.incrementAndGet();
            return new Lookup.NxDomain<>(false);
        }
    }

    @Test
    void theActionRunsOnceBeforeTheFirstLookupAndNotForTheSupportQuestion() {
        Counting dns = new Counting();
        FirstUseResolver r = new FirstUseResolver(dns);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger lookupsWhenRun = new AtomicInteger(-1);
        r.onFirstUse(() -> {
            runs.incrementAndGet();
            lookupsWhenRun.set(dns.lookups.get());
        });
        r.dnssecSupport();
        assertThat(runs).as("asking for DNSSEC support is not a lookup").hasValue(0);
        assertThat(r.mx("example.org")).isEqualTo(new Lookup.NxDomain<>(false));
        r.tlsa("_25._tcp.mx.example.org");
        r.txt("_mta-sts.example.org");
        assertThat(runs).hasValue(1);
        assertThat(lookupsWhenRun).as("before the first lookup").hasValue(0);
        assertThat(dns.lookups).hasValue(3);
    }
}
