package dev.astrid.host.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.UUID;

/**
 * Replaces files so that a reader sees the old content or the new one, never a mix: the content
 * goes to a fresh file in the same directory, is forced to disk, and is renamed over the target.
 *
 * <p>The rename replaces a symbolic link at the target rather than writing through it, which also
 * keeps a link swapped in after the sandbox checked the path from redirecting the write.
 */
final class AtomicFiles {
    /** Prefix of the temporary files; they only exist while a write is in flight. */
    static final String TEMP_PREFIX = ".astrid-tmp-";

    private AtomicFiles() {}

    /** Replaces the target's content with bytes. */
    static void write(Path target, byte[] content) throws IOException {
        replace(target, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        });
    }

    /** Replaces the target's content with a copy of a regular file (a link at the source is not followed). */
    static void copy(Path source, Path target) throws IOException {
        replace(target, ch -> {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                long size = in.size();
                long done = 0;
                while (done < size) {
                    long n = in.transferTo(done, size - done, ch);
                    if (n <= 0) {
                        break; // the source shrank under us; keep what was there
                    }
                    done += n;
                }
            }
        });
    }

    private interface Content {
        void writeTo(FileChannel ch) throws IOException;
    }

    private static void replace(Path target, Content content) throws IOException {
        Path dir = target.getParent();
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(ch);
                ch.force(true);
            }
            keepPermissions(target, temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // An executable script stays executable after a capsule rewrites it.
    private static void keepPermissions(Path target, Path temp) {
        if (Files.getFileAttributeView(temp, PosixFileAttributeView.class) == null) {
            return;
        }
        try {
            PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (old.isRegularFile()) {
                Files.setPosixFilePermissions(temp, old.permissions());
            }
        } catch (IOException e) {
            // No previous file (the usual case) or unreadable attributes: keep the defaults.
        }
    }

    // Makes the rename itself durable. Best effort: some file systems cannot sync a directory,
    // and the file's content is already on disk.
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // ignored on purpose, see above
        }
    }
}
