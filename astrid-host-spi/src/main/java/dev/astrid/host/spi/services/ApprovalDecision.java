package dev.astrid.host.spi.services;

import java.util.Optional;

/** What a person decided about an {@link ApprovalRequest}. */
public enum ApprovalDecision {
    /** Allowed this once. */
    APPROVE("approve"),
    /** Allowed for the rest of the capsule's session (until it unloads). */
    APPROVE_SESSION("approve_session"),
    /** Allowed from now on, remembered in the host's data directory until revoked. */
    APPROVE_ALWAYS("approve_always"),
    /** Refused. */
    DENY("deny");

    private final String wireName;

    ApprovalDecision(String wireName) {
        this.wireName = wireName;
    }

    /** The decision's name in an {@code astrid_request_approval} response. */
    public String wireName() {
        return wireName;
    }

    /** Whether the action may go ahead. */
    public boolean approved() {
        return this != DENY;
    }

    /** The decision of a wire name, if it is one. */
    public static Optional<ApprovalDecision> ofWireName(String name) {
        for (ApprovalDecision d : values()) {
            if (d.wireName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
