package dev.doublelock.smtp.client;

import dev.doublelock.smtp.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Capability parsing and per-recipient classification, without a network. */
class EhloResultTest {
    @Test
    void keywordsAreUpperCasedWithoutParametersAndSizeIsParsed() {
        Reply reply = Reply.parse(List.of("250-mx.example greets you", "250-pipelining", "250-SIZE 52428800",
                "250-AUTH PLAIN LOGIN", "250-8BITMIME", "250-X-weird=yes", "250-(not a keyword)", "250 STARTTLS"));
        EhloResult r = EhloResult.fromEhlo(reply);
        assertThat(r.keywords()).containsExactlyInAnyOrder("PIPELINING", "SIZE", "AUTH", "8BITMIME", "X-WEIRD", "STARTTLS");
        assertThat(r.size()).hasValue(52_428_800L);
        assertThat(r.supports("starttls")).isTrue();
        assertThat(r.supports("SMTPUTF8")).isFalse();
        assertThat(r.heloFallback()).isFalse();
    }

    @Test
    void sizeWithoutNumberIsSupportedButHasNoLimit() {
        EhloResult r = EhloResult.fromEhlo(Reply.parse(List.of("250-mx", "250 SIZE")));
        assertThat(r.supports("SIZE")).isTrue();
        assertThat(r.size()).isEmpty();
    }

    @Test
    void recipientFateCombinesRcptAndDataReplies() {
        Reply ok = Reply.of(250, "2.1.5", "ok");
        DeliveryResult refusedData = new DeliveryResult(ok, Map.of("a@x", ok, "b@x", Reply.of(550, "5.1.1", "no")),
                Optional.of(Reply.of(554, "5.7.1", "spam")));
        assertThat(refusedData.rejectedPermanently()).containsExactlyInAnyOrder("a@x", "b@x");
        assertThat(refusedData.anyAccepted()).isFalse();

        DeliveryResult noData = new DeliveryResult(ok, Map.of("a@x", ok), Optional.empty());
        assertThat(noData.deferred()).as("accepted RCPT but no data sent is not delivered").containsExactly("a@x");
    }
}
