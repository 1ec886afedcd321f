package dev.astrid.host.process.internal;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reasons for a capsule's author, without host paths or Java names. */
final class Reasons {
    private static final Pattern ERRNO = Pattern.compile("error=\\d+, (.+)$");

    private Reasons() {}

    /**
     * Why a program could not be started: the operating system's reason ({@code Permission denied},
     * {@code Argument list too long}) from the JDK's message, which also names the host directory.
     */
    static String ofStart(IOException e) {
        String m = String.valueOf(e.getMessage());
        Matcher errno = ERRNO.matcher(m);
        if (errno.find()) {
            return errno.group(1).strip();
        }
        return "the operating system refused it";
    }
}
