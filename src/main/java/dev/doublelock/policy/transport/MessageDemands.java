package dev.doublelock.policy.transport;

/**
 * What a message itself asks of its transport (RFC 8689).
 *
 * @param requireTls    the envelope carries REQUIRETLS (§4): verified TLS to every hop, or no delivery
 * @param tlsRequiredNo the message has {@code TLS-Required: No} (§5): the domain's DANE and MTA-STS policies and
 *                      the local policy's refusals are waived (ignored when {@code requireTls}, §4.1)
 */
public record MessageDemands(boolean requireTls, boolean tlsRequiredNo) {
    /** An ordinary message; also what the checker assumes. */
    public static final MessageDemands NONE = new MessageDemands(false, false);

    public MessageDemands {
        if (requireTls) {
            tlsRequiredNo = false;
        }
    }
}
