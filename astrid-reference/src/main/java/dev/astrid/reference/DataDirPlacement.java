package dev.astrid.reference;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Refuses a data directory that capsules could reach: one in the workspace they are served, or one
 * that holds the workspace.
 *
 * <p>The data directory holds every capsule's KV values, secrets and overlay layers. The file
 * family fences it off on its own too; this check makes the mistake loud at start instead of
 * leaving state in a tree other tools (editors, backups, {@code git add .}) also touch.
 */
final class DataDirPlacement {
    private DataDirPlacement() {}

    /**
     * Compares real paths (links resolved where the directories exist), so neither a link to the
     * workspace nor one into it hides the overlap.
     *
     * <p>The default data directory may lie in the workspace: someone working in their home
     * directory serves it as the workspace, and {@code ~/.local/state/astrid} is inside it. Nobody
     * chose that placement, and the file family's fence keeps it unreachable, so it is allowed; a
     * data directory someone configured there is refused.
     *
     * @param defaultDataDir the data directory used when none is configured
     * @throws IllegalArgumentException naming both directories and how to fix it
     */
    static void requireApart(Path dataDir, Path workspace, Path defaultDataDir) {
        Path data = real(dataDir.toAbsolutePath().normalize());
        Path ws = real(workspace.toAbsolutePath().normalize());
        Path fallback = defaultDataDir.toAbsolutePath().normalize();
        if (data.startsWith(ws) && !data.equals(real(fallback))) {
            throw new IllegalArgumentException("the data directory " + shown(dataDir, data) + " lies inside the workspace "
                    + shown(workspace, ws) + ", where capsules could read and change the host's state (KV values, "
                    + "secrets, other capsules' files); give it a directory outside the workspace with "
                    + "HostConfig.Builder.dataDir"
                    + (real(fallback).startsWith(ws) ? "" : ", for example the default " + fallback));
        }
        if (ws.startsWith(data)) {
            throw new IllegalArgumentException("the workspace " + shown(workspace, ws) + " lies inside the data directory "
                    + shown(dataDir, data) + ", where capsules could reach the host's state (other capsules' files); "
                    + "give the data directory a place of its own with HostConfig.Builder.dataDir");
        }
    }

    /**
     * Creates the data directory when it is missing, readable by its owner only: it holds every
     * capsule's KV values and files, which other accounts on the machine have no business reading.
     * An existing directory keeps the permissions its owner gave it.
     *
     * @throws IllegalArgumentException when it cannot be created
     */
    static void createIfMissing(Path dataDir) {
        if (Files.isDirectory(dataDir)) {
            return;
        }
        try {
            Path parent = dataDir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dataDir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dataDir)) {
                throw new IllegalArgumentException("the data directory " + dataDir + " exists and is not a directory", e);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static String shown(Path given, Path real) {
        Path absolute = given.toAbsolutePath().normalize();
        return absolute.equals(real) ? absolute.toString() : absolute + " (really " + real + ")";
    }

    // The longest existing prefix made real; the missing rest is kept as written.
    private static Path real(Path absolute) {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null; p = p.getParent()) {
            try {
                Path out = p.toRealPath();
                for (Path name : missing) {
                    out = out.resolve(name);
                }
                return out;
            } catch (IOException e) {
                missing.addFirst(p.getFileName());
            }
        }
        return absolute;
    }
}
