package dev.doublelock.relay.intake;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tables for the small parts: CIDR matching, password hashes, header-safe text. */
class IntakePartsTest {
    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "127.0.0.0/8, 127.0.0.2, true",
            "127.0.0.1/32, 127.0.0.2, false",
            "127.0.0.1, 127.0.0.1, true",
            "10.1.2.3/8, 10.200.0.1, true",
            "192.0.2.0/25, 192.0.2.200, false",
            "0.0.0.0/0, 203.0.113.9, true",
            "::1, ::1, true",
            "::1/128, 127.0.0.1, false",
            "2001:db8::/32, 2001:db8:ffff::1, true",
            "2001:db8::/32, 2001:db9::1, false",
            "192.0.2.0/24, ::ffff:192.0.2.7, true",
    })
    void cidrMatching(String network, String address, boolean expected) throws Exception {
        assertThat(Cidr.parse(network).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.org", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "1.2.3.4.5"})
    void badNetworksSayWhatToWrite(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text);
    }

    @Test
    void passwordHashRoundTripsAndComparesExactly() {
        PasswordHash h = PasswordHash.create("pässword".toCharArray(), PasswordHash.MIN_ITERATIONS);
        PasswordHash parsed = PasswordHash.parse(h.encoded());
        assertThat(parsed).isEqualTo(h);
        assertThat(parsed.matches("pässword".toCharArray())).isTrue();
        assertThat(parsed.matches("password".toCharArray())).isFalse();
        assertThat(parsed.matches("".toCharArray())).isFalse();
        assertThat(h.toString()).doesNotContain(h.encoded().substring(h.encoded().lastIndexOf('$') + 1));
        assertThat(PasswordHash.create("x".toCharArray(), PasswordHash.MIN_ITERATIONS).encoded())
                .as("fresh salt each time").isNotEqualTo(PasswordHash.create("x".toCharArray(), PasswordHash.MIN_ITERATIONS).encoded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret", "pbkdf2-sha1$600000$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2-sha256$many$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "pbkdf2-sha256$600000$!!$AAAA"})
    void badStoredHashesAreRefused(String stored) {
        assertThatThrownBy(() -> PasswordHash.parse(stored)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash-password");
    }

    @Test
    void unknownUsersFailLikeWrongPasswords() {
        UserDirectory users = new UserDirectory(java.util.Map.of("alice",
                PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS)));
        assertThat(users.authenticate("alice", "pw".toCharArray())).isTrue();
        assertThat(users.authenticate("Alice", "pw".toCharArray())).isFalse();
        assertThat(users.authenticate("mallory", "pw".toCharArray())).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "client.example|client.example",
            "[192.0.2.1]|[192.0.2.1]",
            "evil)(injected|evil??injected",
            "a;b<c>d\\e|a?b?c?d?e",
            "tab\there|tab?here",
    })
    void clientTextCannotBreakTheReceivedHeader(String in, String out) {
        assertThat(ReceivedHeader.safe(in)).isEqualTo(out);
    }
}
