package dev.doublelock.policy.mtasts;

/**
 * The outcome of fetching a policy over HTTPS (RFC 8461 §3.3). The non-OK kinds map onto TLS-RPT
 * result types: {@code sts-policy-fetch-error}, {@code sts-policy-invalid}, {@code sts-webpki-invalid}.
 */
public sealed interface FetchResult {

    /** A valid policy; {@code body} is the text as served. */
    record Ok(StsPolicy policy, String body) implements FetchResult {
    }

    /** No policy could be fetched: connection, timeout, HTTP status, redirect, size. */
    record FetchError(String reason) implements FetchResult {
    }

    /** A response arrived but is not a valid policy (syntax, media type). */
    record Invalid(String reason) implements FetchResult {
    }

    /** The HTTPS server's certificate is not valid for {@code mta-sts.DOMAIN} under the Web PKI. */
    record WebPkiInvalid(String reason) implements FetchResult {
    }

    /** The TLS-RPT result type for a failed fetch (RFC 8460 §4.3.2), or null for {@link Ok}. */
    default String tlsRptResultType() {
        return switch (this) {
            case Ok ok -> null;
            case FetchError e -> "sts-policy-fetch-error";
            case Invalid i -> "sts-policy-invalid";
            case WebPkiInvalid w -> "sts-webpki-invalid";
        };
    }
}
