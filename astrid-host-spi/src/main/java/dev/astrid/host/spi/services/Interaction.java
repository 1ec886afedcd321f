package dev.astrid.host.spi.services;

import java.util.Optional;

/**
 * The way the host reaches a person: install-time questions and approvals of sensitive actions.
 * The embedding application implements it (a terminal prompt, a dialog, a chat message); the host
 * hands it to every provider through {@link dev.astrid.host.spi.CapsuleContext#interaction()}.
 *
 * <p>Both methods may block until the person answers. The calling family bounds the wait with its
 * own timeout and interrupts the thread when the time is up, so an implementation should give up
 * when interrupted. Calls may come from several capsules at once.
 */
public interface Interaction {

    /**
     * Asks a person for one value a capsule needs while it installs or upgrades.
     *
     * @return the answer; empty when the person declined to answer
     * @throws InteractionException when the question cannot be put to anyone; its message says how
     *     to supply the answer otherwise
     * @throws InterruptedException when the wait was interrupted
     */
    Optional<Answer> ask(Question question) throws InterruptedException;

    /**
     * Asks a person whether a capsule may perform an action.
     *
     * @return the person's decision; {@link ApprovalDecision#DENY} when nobody can answer
     * @throws InterruptedException when the wait was interrupted
     */
    ApprovalDecision approve(ApprovalRequest request) throws InterruptedException;

    /** Nobody to ask: every question goes unanswered and every approval is denied. */
    Interaction NONE = new Interaction() {
        @Override
        public Optional<Answer> ask(Question question) {
            return Optional.empty();
        }

        @Override
        public ApprovalDecision approve(ApprovalRequest request) {
            return ApprovalDecision.DENY;
        }
    };
}
