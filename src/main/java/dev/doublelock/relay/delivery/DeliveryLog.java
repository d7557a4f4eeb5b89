package dev.doublelock.relay.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.doublelock.finding.Finding;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The delivery log: one JSON object per line and per attempt, appended and flushed as it happens, e.g.
 * <pre>{"time":"…","queue_id":7,"domain":"example.org","mx":"mx1.example.org","ip":"192.0.2.1","port":25,
 * "policy":"bsi","decided_by":"dane","mode":"enforce","tls_protocol":"TLSv1.3","tls_cipher":"TLS_AES_128_GCM_SHA256",
 * "verdict":"NON_COMPLIANT","would_refuse":false,"findings":[{"code":"EXPIRED_CERTIFICATE",…}],
 * "reply":"250 2.0.0 ok","outcome":"refused","duration_ms":42}</pre>
 * Write failures are reported to the caller's log and do not stop delivery.
 */
final class DeliveryLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    private DeliveryLog(BufferedWriter out) {
        this.out = out;
    }

    static DeliveryLog open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new DeliveryLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the delivery log " + file + ": " + e.getMessage()
                    + " (choose a writable path)", e);
        }
    }

    /** One attempt as a JSON line. */
    record Entry(Instant time, long queueId, String domain, String mx, String ip, int port, String policy,
                 String decidedBy, String mode,
                 String tlsProtocol, String tlsCipher, boolean plaintextFallback, String verdict, boolean wouldRefuse,
                 List<Finding> findings, String reply, String outcome, long durationMillis) {
    }

    static String toJson(Entry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", e.time().toString());
        o.put("queue_id", e.queueId());
        o.put("domain", e.domain());
        o.put("mx", e.mx());
        o.put("ip", e.ip());
        o.put("port", e.port());
        o.put("policy", e.policy());
        o.put("decided_by", e.decidedBy());
        o.put("mode", e.mode());
        o.put("tls_protocol", e.tlsProtocol());
        o.put("tls_cipher", e.tlsCipher());
        o.put("plaintext_fallback", e.plaintextFallback());
        o.put("verdict", e.verdict());
        o.put("would_refuse", e.wouldRefuse());
        ArrayNode fs = o.putArray("findings");
        for (Finding f : e.findings()) {
            ObjectNode n = fs.addObject();
            n.put("code", f.code().name());
            n.put("severity", f.severity().name());
            n.put("subject", f.subject());
            n.put("evidence", f.evidence());
            n.put("rule", f.rule());
        }
        o.put("reply", e.reply());
        o.put("outcome", e.outcome());
        o.put("duration_ms", e.durationMillis());
        try {
            return JSON.writeValueAsString(o); // the shared mapper; JsonNode.toString() builds its writer every call
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("cannot write a delivery log line: " + ex.getMessage(), ex);
        }
    }

    synchronized void write(Entry e) throws IOException {
        out.write(toJson(e));
        out.write('\n');
        out.flush();
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing left to save
        }
    }
}
