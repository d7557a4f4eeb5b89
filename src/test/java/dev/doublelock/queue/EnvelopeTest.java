package dev.doublelock.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    @Test
    void duplicateRecipientsAreDeliveredOnceInRcptOrder() {
        Envelope e = new Envelope("a@x", List.of("c@y", "b@y", "c@y"));
        assertThat(e.recipients()).containsExactly("c@y", "b@y");
    }

    @Test
    void paramsAreCopiedAndImmutable() {
        Map<String, String> params = new HashMap<>(Map.of("SMTPUTF8", "", "BODY", "8BITMIME"));
        Envelope e = new Envelope("", List.of("b@y"), params);
        params.put("ENVID", "x");
        assertThat(e.params()).containsOnlyKeys("BODY", "SMTPUTF8");
        assertThatThrownBy(() -> e.params().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(e.nullSender()).isTrue();
    }

    @Test
    void malformedEnvelopesAreRefused() {
        assertThatThrownBy(() -> new Envelope("a@x", List.of())).hasMessageContaining("at least one recipient");
        assertThatThrownBy(() -> new Envelope("a@x\r\nRCPT TO:<evil@x>", List.of("b@y")))
                .hasMessageContaining("CR, LF");
        assertThatThrownBy(() -> new Envelope("a@x", List.of(" "))).hasMessageContaining("empty");
        assertThatThrownBy(() -> new Envelope(null, List.of("b@y"))).hasMessageContaining("null sender");
    }
}
