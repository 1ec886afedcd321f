package dev.astrid.host.fs.internal;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What a layer knows about an entry, without following a symbolic link in its last component.
 *
 * @param kind what the entry is
 * @param size its size in bytes, as the file system reports it
 * @param mtimeSeconds its modification time in Unix seconds, 0 when earlier than the epoch
 * @param fileKey what identifies the entry on its file system (device and inode on Unix), or
 *     {@code null} where the platform has none; it tells whether two names are the same directory
 */
public record Attrs(Kind kind, long size, long mtimeSeconds, Object fileKey) {

    /** The kinds of entries the family tells apart. */
    public enum Kind {
        /** A regular file. */
        FILE,
        /** A directory. */
        DIRECTORY,
        /** A symbolic link. */
        LINK,
        /** Anything else: a socket, a device, a pipe. */
        OTHER
    }

    /** Whether the entry is a directory. */
    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    /** Attributes read with {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}. */
    public static Attrs of(BasicFileAttributes a) {
        Kind kind = a.isSymbolicLink() ? Kind.LINK
                : a.isDirectory() ? Kind.DIRECTORY
                : a.isRegularFile() ? Kind.FILE
                : Kind.OTHER;
        return new Attrs(kind, a.size(), Math.max(0, a.lastModifiedTime().to(TimeUnit.SECONDS)), a.fileKey());
    }
}
