package dev.astrid.host.fs.internal;

import java.io.IOException;

/**
 * A file operation the family refuses for a reason of its own (a directory given to
 * {@code read_file}, a file over the size limit), as opposed to one the operating system refused.
 * Carries the reason only; the adapter adds the operation and the guest's path.
 */
public class FsRefusal extends IOException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a reason written for the capsule's author. */
    public FsRefusal(String reason) {
        super(reason);
    }

    /** The reason, e.g. {@code is a directory}. */
    public String reason() {
        return getMessage();
    }
}
