package dev.doublelock.smtp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyTest {

    @Test
    void multiLineReplyRoundTripsThroughTheWire() {
        Reply ehlo = Replies.ehlo("mx.test", "c.example", List.of("PIPELINING", "SIZE 100"));
        assertThat(ehlo.toWire()).isEqualTo("250-mx.test greets c.example\r\n250-PIPELINING\r\n250 SIZE 100\r\n");
        assertThat(Reply.parse(List.of(ehlo.toWire().split("\r\n")))).isEqualTo(ehlo);
    }

    @Test
    void enhancedStatusIsWrittenAndParsed() {
        assertThat(Replies.TLS_NOT_AVAILABLE.toWire()).isEqualTo("454 4.7.0 TLS not available due to temporary reason\r\n");
        Reply parsed = Reply.parse(List.of("552-5.3.4 too big", "552 5.3.4 really"));
        assertThat(parsed.enhancedStatus()).isEqualTo("5.3.4");
        assertThat(parsed.lines()).containsExactly("too big", "really");
        assertThat(parsed.isPermanent()).isTrue();
        assertThat(Reply.parse(List.of("250 2.0.0")).lines()).containsExactly("");
        assertThat(Reply.parse(List.of("250 4.0.0 class mismatch")).enhancedStatus()).isNull();
    }

    @Test
    void classesFollowTheFirstDigit() {
        assertThat(Replies.START_MAIL_INPUT.isPositive()).isTrue();
        assertThat(Replies.TOO_MANY_RECIPIENTS.isTransient()).isTrue();
        assertThat(Replies.MESSAGE_TOO_BIG.isPermanent()).isTrue();
        assertThat(Replies.OK.isTransient()).isFalse();
    }

    @Test
    void malformedRepliesAreRejected() {
        assertThatThrownBy(() -> Reply.parse(List.of("25 short"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.parse(List.of("250-a", "251 b"))).hasMessageContaining("different codes");
        assertThatThrownBy(() -> Reply.parse(List.of("250 a", "250 b"))).hasMessageContaining("continuation");
        assertThatThrownBy(() -> Reply.of(250, null, "a\r\nb")).hasMessageContaining("CR or LF");
        assertThatThrownBy(() -> Reply.of(99, null, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
