package dev.doublelock.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON Schema of an RFC 8460 aggregate report ({@code report.schema.json} beside this class, written from the
 * RFC's §4.3–4.4 field definitions and its errata), checked by the networknt validator with format assertions on
 * ({@code date-time}). Used for the reports the relay sends and the ones the lab receives.
 */
public final class ReportSchema {
    private static final Schema SCHEMA = load();

    private ReportSchema() {
    }

    /** The ways {@code report} departs from the schema, each as "where: what"; empty when it conforms. */
    public static List<String> violations(JsonNode report) {
        return SCHEMA.validate(report, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true))).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private static Schema load() {
        try (InputStream in = ReportSchema.class.getResourceAsStream("report.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("report.schema.json is missing from the jar");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
