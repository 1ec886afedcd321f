package dev.astrid.host.interaction;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * How standing decisions match a request. Patterns use the JDK's glob syntax
 * ({@link java.nio.file.FileSystem#getPathMatcher}: {@code *} within one path segment, {@code **}
 * across segments, {@code ?}, {@code [..]}, <code>{a,b}</code>). A resource that could smuggle a
 * second action past an allowance never matches one: shell metacharacters ({@code ;}, {@code &&},
 * {@code ||}, {@code |}, {@code $(}, a backtick, a newline, {@code >} or {@code <}) or a
 * {@code ..} path segment.
 */
final class ResourceMatch {
    private static final List<String> SHELL_METACHARACTERS = List.of(";", "&&", "||", "|", "$(", "`", "\n", ">", "<");

    private ResourceMatch() {}

    /** A compiled glob. */
    static PathMatcher glob(String pattern) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid pattern '" + pattern + "': " + e.getMessage(), e);
        }
    }

    /** Whether a glob matches a text taken as a path; a text that is no path never matches. */
    static boolean matches(PathMatcher glob, String text) {
        try {
            return glob.matches(Path.of(text));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Whether a resource may be covered by an allowance at all. */
    static boolean mayBeAllowed(String resource) {
        for (String m : SHELL_METACHARACTERS) {
            if (resource.contains(m)) {
                return false;
            }
        }
        for (String segment : resource.split("[/\\\\]", -1)) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return resource.indexOf(0) < 0;
    }
}
