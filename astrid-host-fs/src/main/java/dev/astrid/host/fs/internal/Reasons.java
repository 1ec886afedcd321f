package dev.astrid.host.fs.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Words for a failed file operation. Never a {@link FileSystemException}'s message, which holds
 * host paths; the caller adds the guest's path.
 */
final class Reasons {
    private Reasons() {}

    static String of(Throwable e) {
        if (e instanceof UncheckedIOException || e instanceof DirectoryIteratorException) {
            return of(e.getCause());
        }
        if (e instanceof FsRefusal refusal) {
            return refusal.reason();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory is not empty";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse) {
            return words(fse.getReason(), "file system error");
        }
        if (e instanceof InvalidPathException) {
            return "the path cannot be represented on this host";
        }
        if (e instanceof IOException) {
            // A plain IOException carries the system's words, e.g. "No space left on device".
            return words(e.getMessage(), "i/o error");
        }
        return "unexpected " + e.getClass().getSimpleName();
    }

    private static String words(String s, String fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
