package dev.astrid.host.process.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A process and the descendants seen while it ran. The host samples the descendants while it
 * waits, so that children still running when the command ends, whose parent is then gone and who
 * are no longer its descendants, can still be found and ended. A process that forks and detaches
 * between two samples escapes this (outside the bubblewrap sandbox, whose PID namespace ends
 * every process in it when the command ends).
 *
 * <p>{@link ProcessHandle#destroyForcibly()} checks a handle's start time, so a number reused by
 * an unrelated process after one of these ended is never signalled.
 */
final class ProcessTree {
    private final Process root;
    private final Set<ProcessHandle> seen = new HashSet<>(); // guarded by this

    ProcessTree(Process root) {
        this.root = root;
    }

    /** Records the current descendants and forgets those that have ended. */
    synchronized void sample() {
        seen.removeIf(h -> !h.isAlive());
        root.descendants().forEach(seen::add);
    }

    /**
     * Ends the whole tree with SIGKILL: the descendants as they are now and as seen before, then
     * the process itself. The root is killed first so that it cannot start more children while
     * they are being killed; the snapshot taken just before still names them.
     */
    synchronized void kill() {
        sample();
        root.destroyForcibly();
        killSeen();
    }

    /** Ends what the process left running after it ended. */
    synchronized void killLeftovers() {
        sample();
        killSeen();
    }

    private void killSeen() {
        for (ProcessHandle h : List.copyOf(seen)) {
            h.destroyForcibly();
        }
    }
}
