package dev.doublelock.smtp.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session ids are what the lab records and what "250 queued as" names: servers started in the same millisecond (the
 * lab starts one per profile at once) must never hand out the same id.
 */
class SessionIdTest {
    @Test
    void serversStartedTogetherNeverShareAnId() throws Exception {
        List<ServerFixture> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) servers.add(ServerFixture.plain());
            Set<String> ids = new HashSet<>();
            for (ServerFixture s : servers) {
                for (int c = 0; c < 2; c++) {
                    try (TestSmtpClient client = s.client()) {
                        ids.add(s.nextHandler().info.sessionId());
                    }
                }
            }
            assertThat(ids).as("one id per session over 12 servers").hasSize(24);
        } finally {
            servers.forEach(ServerFixture::close);
        }
    }
}
