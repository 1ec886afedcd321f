package dev.astrid.host.fs.internal;

/**
 * A directory on the way to an entry is a symbolic link at the moment of use. The sandbox resolved
 * the path without one, so another process swapped it in since; the look-up stops there instead of
 * following it. The overlay reads it as "the lower layer has nothing here".
 */
final class LinkInPath extends FsRefusal {
    private static final long serialVersionUID = 1L;

    LinkInPath() {
        super("a directory on the path was replaced by a symbolic link");
    }
}
