package dev.astrid.host.spi.services;

/**
 * An {@link Interaction} cannot put the question to anyone (no terminal, a closed window). Its
 * message tells the capsule author, and the person reading the capsule's error, how to supply the
 * answer instead; it must not hold an answer.
 */
public class InteractionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public InteractionException(String message) {
        super(message);
    }
}
