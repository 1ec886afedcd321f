package dev.astrid.host.net.internal;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Words for a failed socket or file operation, for a guest: never an exception's class name and
 * never a host path (a {@link FileSystemException}'s message holds one; its reason does not).
 */
final class Reasons {
    private Reasons() {}

    static String of(IOException e) {
        if (e instanceof ClosedChannelException || e instanceof AsynchronousCloseException) {
            return "the socket is closed";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException) {
            return words(((FileSystemException) e).getReason(), "file system error");
        }
        return words(e.getMessage(), "i/o error");
    }

    private static String words(String s, String fallback) {
        // The system's words ("Connection reset by peer", "No space left on device"), but nothing path-like.
        if (s == null || s.isBlank() || s.contains("/")) {
            return fallback;
        }
        return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
