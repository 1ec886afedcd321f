package dev.astrid.engine.internal;

/**
 * A thread the host made with a known stack size, on which a guest call may run directly instead of
 * being handed to the plugin's own thread (see {@link Plugin}). It counts the guest calls running
 * on it, so that a call made from inside another (a host function calling another capsule) is
 * handed off and every guest starts on a stack it has to itself.
 */
public final class CallerThread extends Thread {
    private final long stackBytes;
    /** Guest calls running on this thread; only this thread touches it. */
    private int depth;

    /**
     * A thread (not started).
     *
     * @param stackBytes the stack size asked of the JVM, which guests that run on it may use
     */
    public CallerThread(Runnable task, String name, long stackBytes) {
        super(null, task, name, stackBytes);
        this.stackBytes = stackBytes;
    }

    /** The stack size the thread was made with. */
    public long stackBytes() {
        return stackBytes;
    }

    /** Whether a guest call of {@code needStack} bytes of stack may run on this thread now. */
    boolean canRunGuest(long needStack) {
        return depth == 0 && stackBytes >= needStack;
    }

    void enterGuest() {
        depth++;
    }

    void exitGuest() {
        depth--;
    }
}
