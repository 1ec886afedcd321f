package dev.astrid.host.fs.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file capability check: which physical paths a list of {@code fs_read} or {@code fs_write}
 * entries allows.
 *
 * <p>Each entry is resolved once, when the capsule loads:
 * <ul>
 *   <li>{@code *} — anything under the workspace root (not the home root);
 *   <li>{@code workspace://SUFFIX} or {@code cwd://SUFFIX} — under {@code <workspace>/SUFFIX};
 *   <li>{@code global://SUFFIX} or {@code home://SUFFIX} — under {@code <home>/SUFFIX}, and
 *       dropped when the host has no home root;
 *   <li>anything else — a literal absolute path prefix.
 * </ul>
 * A path is allowed when it contains no {@code ..} and lies, component-wise, under one resolved
 * entry. An empty list allows nothing.
 */
public final class PathGate {
    private final List<Path> allowed;

    private PathGate(List<Path> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /**
     * Resolves capability entries against the roots.
     *
     * @param entries the manifest list
     * @param workspaceRoot the canonical workspace root
     * @param homeRoot the canonical home (global) root, if the host has one
     */
    public static PathGate resolve(List<String> entries, Path workspaceRoot, Optional<Path> homeRoot) {
        List<Path> out = new ArrayList<>();
        for (String entry : entries) {
            if (entry.equals("*")) {
                out.add(workspaceRoot.normalize());
            } else if (entry.startsWith("workspace://") || entry.startsWith("cwd://")) {
                String suffix = entry.substring(entry.indexOf("://") + 3);
                out.add(under(workspaceRoot, suffix));
            } else if (entry.startsWith("global://") || entry.startsWith("home://")) {
                if (homeRoot.isPresent()) {
                    String suffix = entry.substring(entry.indexOf("://") + 3);
                    out.add(under(homeRoot.get(), suffix));
                }
            } else if (!entry.isEmpty()) {
                out.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        return new PathGate(out);
    }

    private static Path under(Path root, String suffix) {
        String rel = suffix;
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        return rel.isEmpty() ? root.normalize() : root.resolve(rel).normalize();
    }

    /** Whether the physical path is allowed. */
    public boolean allows(Path physical) {
        for (Path part : physical) {
            if (part.toString().equals("..")) {
                return false;
            }
        }
        for (Path prefix : allowed) {
            if (physical.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The resolved prefixes, for error messages and diagnostics. */
    public List<Path> prefixes() {
        return allowed;
    }
}
