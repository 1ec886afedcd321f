package dev.astrid.host.process.internal;

import dev.astrid.host.spi.HostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the file a command names, the way {@code execvp} would with the commands' own
 * {@code PATH}: a name without a slash is searched in {@link Environment#PATH_DIRS}, a relative
 * path is taken from the workspace. The JDK would search the host's own {@code PATH} instead, so
 * the host resolves the name itself and starts the absolute path.
 */
final class Programs {
    private Programs() {}

    /**
     * The absolute path of the program.
     *
     * @throws HostException when there is no executable file of that name
     */
    static Path resolve(String cmd, Path workspace) {
        try {
            if (cmd.indexOf('/') >= 0) {
                Path p = cmd.startsWith("/") ? Path.of(cmd) : workspace.resolve(cmd);
                if (!executable(p)) {
                    throw new HostException("'" + cmd + "' is not an executable file");
                }
                return p.normalize();
            }
            return onPath(cmd).orElseThrow(() -> new HostException("no program '" + cmd + "' in " + Environment.PATH));
        } catch (InvalidPathException e) {
            throw new HostException("'" + cmd + "' is not a valid program name", e);
        }
    }

    /** The first executable file of that name in {@link Environment#PATH_DIRS}. */
    static Optional<Path> onPath(String name) {
        for (Path dir : Environment.PATH_DIRS) {
            Path p = dir.resolve(name);
            if (executable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
