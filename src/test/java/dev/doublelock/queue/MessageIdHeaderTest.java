package dev.doublelock.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MessageIdHeaderTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain CRLF          | Subject: x\\r\\nMessage-ID: <a@b>\\r\\n\\r\\nbody | <a@b>",
            "lower case, LF only | message-id:   <c@d>  \\nFrom: x\\n\\nbody       | <c@d>",
            "folded              | Message-ID:\\r\\n <e@f>\\r\\nSubject: y\\r\\n\\r\\n | <e@f>",
            "last header         | From: x\\r\\nMessage-Id: <g@h>                   | <g@h>",
            "absent              | From: x\\r\\nSubject: y\\r\\n\\r\\nbody         | ''",
            "only in the body    | From: x\\r\\n\\r\\nMessage-ID: <i@j>\\r\\n       | ''",
            "first one wins      | Message-ID: <1@x>\\r\\nMessage-ID: <2@x>\\r\\n\\r\\n | <1@x>",
    })
    void findsTheHeaderInTheHeaderSectionOnly(String why, String raw, String expected) {
        byte[] bytes = raw.strip().replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(MessageIdHeader.find(bytes)).as(why).isEqualTo(expected);
    }

    @Test
    void stopsScanningAtTheLimit() {
        byte[] huge = new byte[MessageIdHeader.SCAN_LIMIT + 100];
        java.util.Arrays.fill(huge, (byte) 'a');
        byte[] tail = "\r\nMessage-ID: <late@x>\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tail, 0, huge, huge.length - tail.length, tail.length);
        assertThat(MessageIdHeader.find(huge)).isEmpty();
    }
}
