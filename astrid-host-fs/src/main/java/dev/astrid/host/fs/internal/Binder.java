package dev.astrid.host.fs.internal;

import dev.astrid.host.fs.CapsuleFileSystem;
import dev.astrid.host.fs.FsSettings;
import dev.astrid.host.fs.GuestPath;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.manifest.Capabilities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Builds a capsule's file system from its context and settings. */
public final class Binder {
    /** Name of the directory, inside the capsule's data directory, that holds overlay sessions. */
    public static final String OVERLAY_DIR = "fs-overlay";
    /** Name of the directory, inside the capsule's data directory, that {@code tmp://} paths name. */
    public static final String TMP_DIR = "fs-tmp";

    private Binder() {}

    /**
     * Binds the file functions for one capsule.
     *
     * @throws HostException when the workspace or an overlay directory cannot be used
     */
    public static CapsuleFileSystem bind(CapsuleContext ctx, FsSettings settings) {
        Path wsGiven = ctx.workspace().toAbsolutePath().normalize();
        Path ws = realDirectory(wsGiven, "workspace");
        Path homeGiven = settings.homeRoot().toAbsolutePath().normalize();
        Capabilities caps = ctx.capabilities();
        if (namesHome(caps)) {
            createDirectories(homeGiven, "home root"); // "created when needed": only capsules that may use it
        }
        Path home = canonical(homeGiven);
        Path data = canonical(ctx.hostDataDir().toAbsolutePath().normalize());
        Object dataKey = fileKey(data);
        Fence wsFence = fence("workspace", ws, data, dataKey, false);
        Fence homeFence = fence("home root", home, data, dataKey, true);
        PathGate read = PathGate.resolve(caps.fsRead(), ws, Optional.of(home));
        PathGate write = PathGate.resolve(caps.fsWrite(), ws, Optional.of(home));

        Layer wsLayer = settings.mode() == FsSettings.Mode.DIRECT
                ? new DirectLayer(ws, false)
                : overlay(ctx, settings, ws);
        Mount wsMount = new Mount(GuestPath.Root.WORKSPACE, wsLayer, ws, spellings(ws, wsGiven), wsFence);
        Mount homeMount = new Mount(GuestPath.Root.HOME, new DirectLayer(home, true), home, spellings(home, homeGiven),
                homeFence);
        ctx.logger().log(System.Logger.Level.DEBUG, "fs bound in {0} mode, workspace {1}, home {2}",
                settings.mode(), ws, home);
        return new CapsuleFs(ctx.capsuleId(), wsMount, homeMount, ctx.capsuleDataDir().resolve(TMP_DIR), read, write);
    }

    private static OverlayLayer overlay(CapsuleContext ctx, FsSettings settings, Path ws) {
        // One directory per load: two loads of the same capsule never share an upper layer.
        Path session = ctx.capsuleDataDir().resolve(OVERLAY_DIR).resolve(ctx.sessionId().toString());
        Path upper = createDirectories(session.resolve("upper"), "overlay directory");
        Optional<Path> commitTo = settings.onUnload() == FsSettings.OnUnload.COMMIT ? Optional.of(ws) : Optional.empty();
        return new OverlayLayer(new DirectLayer(ws, false), new DirectLayer(realDirectory(upper, "overlay directory"), true),
                session, commitTo, ctx.logger());
    }

    // The data directory holds every capsule's state: a root that is the data directory is refused,
    // a root that holds it gets a fence around it. Only the home root may lie inside it (its
    // default is <data>/home), and it cannot reach the rest from there; a workspace inside it
    // could be one that holds other capsules' state (<data>/capsules), so it is refused.
    private static Fence fence(String what, Path root, Path data, Object dataKey, boolean mayLieInside) {
        if (root.equals(data) || (dataKey != null && dataKey.equals(fileKey(root)))) {
            throw new HostException(what + " is the host data directory (" + root
                    + "); capsules must never reach host state, give it a directory of its own");
        }
        if (!root.startsWith(data)) {
            return new Fence(data, dataKey);
        }
        if (!mayLieInside) {
            throw new HostException(what + " lies inside the host data directory (" + root + " in " + data
                    + "); capsules must never reach host state, give it a directory of its own");
        }
        return Fence.NONE;
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // not there yet: the path comparison still fences it
        }
    }

    private static boolean namesHome(Capabilities caps) {
        return Stream.concat(caps.fsRead().stream(), caps.fsWrite().stream())
                .anyMatch(e -> e.startsWith("global://") || e.startsWith("home://"));
    }

    private static List<Path> spellings(Path canonical, Path given) {
        List<Path> out = new ArrayList<>(List.of(canonical));
        if (!given.equals(canonical)) {
            out.add(given);
        }
        return out;
    }

    private static Path realDirectory(Path p, String what) {
        try {
            Path real = p.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new HostException(what + " is not a directory: " + p);
            }
            return real;
        } catch (IOException e) {
            throw new HostException(what + " is not usable: " + p + " (" + Reasons.of(e) + ")", e);
        }
    }

    private static Path createDirectories(Path p, String what) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new HostException(what + " cannot be created: " + p + " (" + Reasons.of(e) + ")", e);
        }
    }

    /** The path with its longest existing prefix made real; the rest is kept as written. */
    static Path canonical(Path absolute) {
        Path existing = absolute;
        List<Path> missing = new ArrayList<>();
        while (existing != null) {
            try {
                Path out = existing.toRealPath();
                for (int i = missing.size() - 1; i >= 0; i--) {
                    out = out.resolve(missing.get(i));
                }
                return out;
            } catch (IOException e) {
                missing.add(existing.getFileName());
                existing = existing.getParent();
            }
        }
        return absolute;
    }
}
