package dev.astrid.host.fs.internal;

import java.io.IOException;

/** A layer that can also change: the unit a {@link Mount} serves. */
public interface Layer extends ReadLayer {

    /** Creates a directory and its missing parents; does nothing when it is already a directory. */
    void mkdirs(Rel rel) throws IOException;

    /** Replaces a file's content atomically, creating it and its missing parents as needed. */
    void write(Rel rel, byte[] content) throws IOException;

    /** Removes a file, a symbolic link (not its target) or an empty directory. */
    void delete(Rel rel) throws IOException;

    /** Called once when the capsule unloads; the layer is not used afterwards. */
    default void unload() {}
}
