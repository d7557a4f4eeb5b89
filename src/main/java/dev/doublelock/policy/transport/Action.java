package dev.doublelock.policy.transport;

/** What a sender does with one MX host. */
public enum Action {
    /** Send the message over this session. */
    DELIVER("deliver"),
    /** Do not send to this host: the requirement is not met; try the next MX, else keep the message queued. */
    REFUSE("refuse"),
    /** Could not decide (a lookup failed): do not send now, try again later. Never a non-compliance. */
    DEFER("defer");

    private final String token;

    Action(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
