package dev.astrid.host.spi.services;

import java.util.Objects;

/**
 * A capsule's request to perform a sensitive action, as shown to a person. Every text has been
 * trimmed, stripped of control characters and bounded by the approval family.
 *
 * @param capsuleId the asking capsule
 * @param action what it wants to do, e.g. {@code delete}
 * @param resource what it wants to do it to, e.g. {@code docs/plan.md}
 * @param riskLevel the capsule's own estimate of the risk, e.g. {@code high}
 */
public record ApprovalRequest(String capsuleId, String action, String resource, String riskLevel) {

    /** Checks the components. */
    public ApprovalRequest {
        Objects.requireNonNull(capsuleId, "capsuleId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(riskLevel, "riskLevel");
    }
}
