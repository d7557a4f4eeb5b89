package dev.doublelock.lab;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "sends SNI: yes/no" per sender, from the names its handshakes sent. */
class SenderSniTest {
    static SessionRecord session(String ehlo, String startTls, String sni) {
        return new SessionRecord(1, "s", Instant.EPOCH, Instant.EPOCH, "good", 25, "192.0.2.1", ehlo, startTls,
                null, null, sni, null, false, null, List.of(), 0, null, null, 0, 0, "QUIT", Verdict.ABANDONED, null, List.of());
    }

    @Test
    void eachSenderIsJudgedByItsOwnHandshakes() {
        Map<String, SenderSni> sni = SenderSni.of(List.of(
                session("postfix.test", "established", "good.lab.test"),
                session("postfix.test", "failed", "expired.lab.test"), // a failed handshake still tells the name
                session("exim.test", "established", null),
                session("exim.test", "not-tried", null),
                session("mixed.test", "established", "good.lab.test"),
                session("mixed.test", "established", null),
                session("plain.test", "not-tried", null),
                session("plain.test", "failed", null))); // failed before a name was seen: no evidence either way

        SenderSni postfix = sni.get("192.0.2.1 (postfix.test)");
        assertThat(postfix.sends()).isEqualTo(SenderSni.Sends.YES);
        assertThat(postfix.line()).isEqualTo("sends SNI: yes (good.lab.test, expired.lab.test)");
        assertThat(sni.get("192.0.2.1 (exim.test)").line()).isEqualTo("sends SNI: no");
        assertThat(sni.get("192.0.2.1 (mixed.test)").line()).isEqualTo("sends SNI: sometimes (1 of 2 handshakes: good.lab.test)");
        assertThat(sni.get("192.0.2.1 (plain.test)").sends()).isEqualTo(SenderSni.Sends.NOT_SEEN);
        assertThat(sni.get("192.0.2.1 (plain.test)").line()).isEqualTo("sends SNI: not seen (no TLS handshake)");
    }
}
