package dev.doublelock.relay.delivery;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.dns.TlsaRecord;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {
    /** Answers MX questions from a map; everything else is SERVFAIL. */
    record FakeDns(Map<String, Lookup<List<MxHost>>> mx) implements MailResolver {
        public Lookup<List<MxHost>> mx(String domain) {
            return mx.getOrDefault(domain, new Lookup.ServFail<>("not in the fake"));
        }

        public Lookup<List<InetAddress>> addresses(String host) {
            return new Lookup.ServFail<>("no");
        }

        public Lookup<List<String>> txt(String name) {
            return new Lookup.ServFail<>("no");
        }

        public Lookup<List<TlsaRecord>> tlsa(String name) {
            return new Lookup.ServFail<>("no");
        }
    }

    final Router router = new Router(Optional.of(new FakeDns(Map.of(
            "example.org", new Lookup.Found<>(List.of(new MxHost("mx1.example.org", 10, false),
                    new MxHost("mx2.example.org", 20, false)), false),
            "nomail.example", new Lookup.NullMx<>(false),
            "gone.example", new Lookup.NxDomain<>(false)))),
            Map.of("static.example", List.of("[10.0.0.1]:2525", "relay.example:26"), ".corp.example", List.of("hub.corp.example")));

    @Test
    void mxHostsInPreferenceOrderOnPort25() {
        Route r = router.route("Example.ORG.");
        assertThat(r.fromMx()).isTrue();
        assertThat(r.hops()).containsExactly(new Hop("mx1.example.org", 25), new Hop("mx2.example.org", 25));
    }

    @Test
    void staticRoutesComeFirstAndParentEntriesCoverSubdomains() {
        assertThat(router.route("static.example").hops()).containsExactly(new Hop("10.0.0.1", 2525), new Hop("relay.example", 26));
        assertThat(router.route("static.example").fromMx()).isFalse();
        assertThat(router.route("eu.corp.example").hops()).containsExactly(new Hop("hub.corp.example", 25));
    }

    @Test
    void nullMxAndNxdomainArePermanentServfailIsTransient() {
        assertThatThrownBy(() -> router.route("nomail.example")).isInstanceOfSatisfying(RouteException.class,
                e -> assertThat(e.permanent() && e.enhancedStatus().equals("5.1.10")).isTrue());
        assertThatThrownBy(() -> router.route("gone.example")).isInstanceOfSatisfying(RouteException.class,
                e -> assertThat(e.permanent() && e.enhancedStatus().equals("5.1.2")).isTrue());
        assertThatThrownBy(() -> router.route("flaky.example")).isInstanceOfSatisfying(RouteException.class,
                e -> assertThat(!e.permanent() && e.enhancedStatus().startsWith("4.")).isTrue());
    }

    @Test
    void withoutDnsTheDefaultRouteIsTheSmarthostAndNoRouteIsTransient() {
        assertThat(Router.staticOnly(Map.of("*", List.of("smarthost:587"))).route("any.example").hops())
                .containsExactly(new Hop("smarthost", 587));
        assertThatThrownBy(() -> Router.staticOnly(Map.of()).route("any.example"))
                .isInstanceOfSatisfying(RouteException.class, e -> assertThat(e.permanent()).isFalse());
    }

    @Test
    void theStarRouteIsTheSmarthostForEveryDomainWithoutItsOwnRouteEvenWithDns() {
        Router smarthost = new Router(router.resolver(), Map.of("*", List.of("smarthost.example:587"),
                "static.example", List.of("[10.0.0.1]:2525")));
        Route r = smarthost.route("example.org");
        assertThat(r.fromMx()).isFalse();
        assertThat(r.hops()).containsExactly(new Hop("smarthost.example", 587));
        // no MX lookup: a domain whose MX lookup fails still goes to the smarthost
        assertThat(smarthost.route("nomail.example").hops()).containsExactly(new Hop("smarthost.example", 587));
        assertThat(smarthost.route("static.example").hops()).containsExactly(new Hop("10.0.0.1", 2525));
    }

    @Test
    void staticRoutesToLocalhostOrHostsFileNamesUseTheSystemResolverNotDns() {
        // the fake DNS answers SERVFAIL for every address question: only the system resolver can find localhost
        Router local = new Router(router.resolver(), Map.of("example.net", List.of("localhost:2525")), 25,
                HostsFile.parse("127.0.0.1 localhost\n"));
        Route r = local.route("example.net");
        assertThat(local.addresses(r, r.hops().get(0))).isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
                    assertThat(a.getPort()).isEqualTo(2525);
                });
        // even with an empty hosts file: localhost is never a DNS question (RFC 6761 §6.3)
        Router noHosts = new Router(router.resolver(), Map.of("example.net", List.of("localhost:2525")), 25,
                HostsFile.parse(""));
        assertThat(noHosts.addresses(r, r.hops().get(0))).isNotEmpty();
    }

    @Test
    void mxHostsGoThroughDnsEvenWhenTheHostsFileListsThem() {
        Router local = new Router(router.resolver(), Map.of(), 25, HostsFile.parse("127.0.0.1 mx1.example.org\n"));
        Route r = local.route("example.org");
        assertThat(r.fromMx()).isTrue();
        assertThatThrownBy(() -> local.addresses(r, r.hops().get(0))).isInstanceOfSatisfying(RouteException.class,
                e -> assertThat(e.getMessage()).contains("no usable address for mx1.example.org"));
        // a static route to a name that is not local still asks DNS
        Router dns = new Router(router.resolver(), Map.of("x.example", List.of("relay.example")), 25,
                HostsFile.parse("127.0.0.1 localhost\n"));
        Route s = dns.route("x.example");
        assertThatThrownBy(() -> dns.addresses(s, s.hops().get(0))).isInstanceOf(RouteException.class);
    }

    @Test
    void hostsFileNames() {
        HostsFile f = HostsFile.parse("# comment\n127.0.0.1\tlocalhost\n192.0.2.7 build-box build-box.lan # lab\n"
                + "::1 ip6-localhost\n");
        assertThat(f.isLocal("BUILD-BOX.LAN.")).isTrue();
        assertThat(f.isLocal("build-box")).isTrue();
        assertThat(f.isLocal("ip6-localhost")).isTrue();
        assertThat(f.isLocal("db.localhost")).as("only localhost itself").isFalse();
        assertThat(f.isLocal("lab")).isFalse();
        assertThat(f.isLocal("192.0.2.7")).isFalse();
        assertThat(f.isLocal("mx.example.org")).isFalse();
    }

    @Test
    void hopSyntax() {
        assertThat(Hop.parse("[2001:db8::1]:2525")).isEqualTo(new Hop("2001:db8::1", 2525));
        assertThat(Hop.parse("[2001:db8::1]:2525").isAddressLiteral()).isTrue();
        assertThatThrownBy(() -> Hop.parse("mx:port")).hasMessageContaining("host:port");
    }
}
