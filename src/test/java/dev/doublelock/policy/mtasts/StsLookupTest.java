package dev.doublelock.policy.mtasts;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.dns.TlsaRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** DNS record + cache + fetch, with RFC 8461 §5.1 cache semantics, against a local HTTPS server. */
class StsLookupTest {
    private static final String POLICY_1 = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 3600\n";
    private static final String POLICY_2 = "version: STSv1\nmode: testing\nmx: mx2.example.test\nmax_age: 3600\n";
    private final TestCa ca = new TestCa("STS Lookup CA");
    private final FakeTxt dns = new FakeTxt();
    private final MutableClock clock = new MutableClock();
    private PolicyServer server;
    private StsLookup lookup;

    @BeforeEach
    void start() throws Exception {
        server = new PolicyServer(ca.leaf("127.0.0.1"));
        StsFetcher fetcher = new StsFetcher(ca.clientContext(), Duration.ofSeconds(10), StsFetcher.DEFAULT_MAX_BYTES, server::uri);
        lookup = new StsLookup(dns, fetcher, new InMemoryStsCache(), clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void recordThenFetch() {
        dns.put("_mta-sts.a.test", new Lookup.Found<>(List.of("v=spf1 -all", "v=STSv1; id=1"), false));
        server.policy("a.test", POLICY_1);
        StsLookupResult r = lookup.lookup("a.test");
        assertThat(r).isEqualTo(new StsLookupResult.Active(StsPolicy.parse(POLICY_1), "1", false, null));
    }

    @Test
    void noRecordOrSeveralRecordsMeanNoPolicy() {
        dns.put("_mta-sts.none.test", new Lookup.NxDomain<>(false));
        dns.put("_mta-sts.two.test", new Lookup.Found<>(List.of("v=STSv1; id=1", "v=STSv1; id=2"), false));
        assertThat(lookup.lookup("none.test")).isInstanceOf(StsLookupResult.NoPolicy.class);
        assertThat(lookup.lookup("two.test")).isInstanceOf(StsLookupResult.NoPolicy.class)
                .extracting(r -> ((StsLookupResult.NoPolicy) r).reason()).asString().contains("exactly one");
        assertThat(server.requests()).isZero();
    }

    @Test
    void dnsFailureWithoutCacheIsDnsFailure() {
        dns.put("_mta-sts.fail.test", new Lookup.ServFail<>("test"));
        assertThat(lookup.lookup("fail.test")).isInstanceOf(StsLookupResult.DnsFailure.class);
    }

    @Test
    void unfetchablePolicyIsFailed() {
        dns.put("_mta-sts.gone.test", new Lookup.Found<>(List.of("v=STSv1; id=1"), false));
        assertThat(lookup.lookup("gone.test")).isInstanceOf(StsLookupResult.Failed.class);
    }

    @Test
    void sameIdUsesTheCacheWithoutFetching() {
        dns.put("_mta-sts.a.test", new Lookup.Found<>(List.of("v=STSv1; id=1"), false));
        server.policy("a.test", POLICY_1);
        lookup.lookup("a.test");
        server.policy("a.test", POLICY_2); // changed on the server, but the id did not change
        clock.advance(Duration.ofMinutes(30));
        assertThat(lookup.lookup("a.test")).isEqualTo(new StsLookupResult.Active(StsPolicy.parse(POLICY_1), "1", true, null));
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void newIdRefetches() {
        dns.put("_mta-sts.a.test", new Lookup.Found<>(List.of("v=STSv1; id=1"), false));
        server.policy("a.test", POLICY_1);
        lookup.lookup("a.test");
        server.policy("a.test", POLICY_2);
        dns.put("_mta-sts.a.test", new Lookup.Found<>(List.of("v=STSv1; id=2"), false));
        assertThat(lookup.lookup("a.test")).isEqualTo(new StsLookupResult.Active(StsPolicy.parse(POLICY_2), "2", false, null));
    }

    @Test
    void cachedPolicySurvivesAStrippedRecordUntilMaxAge() {
        dns.put("_mta-sts.a.test", new Lookup.Found<>(List.of("v=STSv1; id=1"), false));
        server.policy("a.test", POLICY_1);
        lookup.lookup("a.test");
        dns.put("_mta-sts.a.test", new Lookup.NoData<>(false)); // an attacker strips the record
        clock.advance(Duration.ofMinutes(59));
        StsLookupResult during = lookup.lookup("a.test");
        assertThat(during).isInstanceOf(StsLookupResult.Active.class);
        assertThat(((StsLookupResult.Active) during).refreshProblem()).contains("no MTA-STS record");
        clock.advance(Duration.ofMinutes(2)); // past max_age 3600
        assertThat(lookup.lookup("a.test")).isInstanceOf(StsLookupResult.NoPolicy.class);
    }

    @Test
    void failedRefreshKeepsTheCachedPolicy() {
        dns.put("_mta-sts.a.test", new Lookup.Found<>(List.of("v=STSv1; id=1"), false));
        server.policy("a.test", POLICY_1);
        lookup.lookup("a.test");
        dns.put("_mta-sts.a.test", new Lookup.Found<>(List.of("v=STSv1; id=2"), false));
        server.policy("a.test", "garbage");
        StsLookupResult r = lookup.lookup("a.test");
        assertThat(r).isInstanceOf(StsLookupResult.Active.class);
        assertThat(((StsLookupResult.Active) r).policy()).isEqualTo(StsPolicy.parse(POLICY_1));
        assertThat(((StsLookupResult.Active) r).refreshProblem()).contains("refresh failed");
    }

    /** TXT answers from a map; other questions are not asked by StsLookup. */
    static final class FakeTxt implements MailResolver {
        private final Map<String, Lookup<List<String>>> txt = new ConcurrentHashMap<>();

        void put(String name, Lookup<List<String>> answer) {
            txt.put(name, answer);
        }

        @Override
        public Lookup<List<String>> txt(String name) {
            return txt.getOrDefault(name, new Lookup.NxDomain<>(false));
        }

        @Override
        public Lookup<List<MxHost>> mx(String domain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Lookup<List<InetAddress>> addresses(String host) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Lookup<List<TlsaRecord>> tlsa(String name) {
            throw new UnsupportedOperationException();
        }
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
