package dev.astrid.host.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The bubblewrap sandbox ({@code bwrap}, Debian package {@code bubblewrap}). A command sees:
 * <ul>
 *   <li>{@code /usr} and the top-level {@code /bin}, {@code /sbin}, {@code /lib*} read-only (as
 *       symbolic links where the host has a merged {@code /usr});</li>
 *   <li>a few files of {@code /etc} read-only ({@link #ETC}: users and groups, the dynamic linker's
 *       cache, name resolution, certificates, time zone, Debian's alternatives) — not the rest,
 *       so no key, password hash or host configuration;</li>
 *   <li>a fresh {@code /proc} and {@code /dev}, an empty {@code /tmp} of its own;</li>
 *   <li>the capsule's workspace read-write at its own path, minus the host's data directory when
 *       that lies inside it;</li>
 *   <li>new namespaces for everything ({@code --unshare-all}: PID, IPC, UTS, cgroup, user where
 *       possible, and network unless the capsule has the {@code net} capability), its own session
 *       ({@code --new-session}: no access to the host's terminal), and {@code --die-with-parent}:
 *       it dies when the host does.</li>
 * </ul>
 * Because the command is PID 2 of its own PID namespace, everything it starts ends with it.
 */
public final class Bwrap implements Sandbox {
    /** The entries of {@code /etc} a command sees, when the host has them. */
    public static final List<String> ETC = List.of("alternatives", "ca-certificates", "ca-certificates.conf",
            "debian_version", "gai.conf", "group", "host.conf", "hosts", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
            "localtime", "mime.types", "nsswitch.conf", "os-release", "passwd", "pki", "protocols", "resolv.conf",
            "services", "ssl", "timezone");
    private static final List<String> TOP = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");
    private static final long PROBE_SECONDS = 10;

    private final Path executable;
    private final List<String> system;
    private final List<Path> visible;

    private Bwrap(Path executable, List<String> system, List<Path> visible) {
        this.executable = executable;
        this.system = List.copyOf(system);
        this.visible = List.copyOf(visible);
    }

    /**
     * Finds bwrap: {@code setting} is a path (it contains a slash) or a name looked up on the host's
     * own {@code PATH} ({@code hostPath}; {@link Environment#PATH} when unset).
     */
    public static Optional<Path> locate(String setting, String hostPath) {
        try {
            if (setting.indexOf('/') >= 0) {
                Path p = Path.of(setting);
                return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
            }
            String path = hostPath == null || hostPath.isEmpty() ? Environment.PATH : hostPath;
            for (String dir : path.split(":")) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir).resolve(setting);
                if (p.isAbsolute() && Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The sandbox over this host's system directories, run by the bwrap at {@code executable}. */
    public static Bwrap over(Path executable) {
        List<String> a = new ArrayList<>();
        List<Path> visible = new ArrayList<>();
        Path usr = Path.of("/usr");
        bindReadOnly(a, usr);
        visible.add(real(usr));
        for (String top : TOP) {
            Path p = Path.of("/").resolve(top);
            if (Files.isSymbolicLink(p) && real(p).startsWith(real(usr))) {
                a.add("--symlink");
                a.add(readLink(p));
                a.add(p.toString());
            } else if (Files.isDirectory(p)) {
                bindReadOnly(a, p);
                visible.add(real(p));
            }
        }
        for (String e : ETC) {
            Path p = Path.of("/etc").resolve(e);
            if (Files.exists(p)) {
                bindReadOnly(a, p);
            }
        }
        a.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        return new Bwrap(executable, a, visible);
    }

    private static void bindReadOnly(List<String> a, Path p) {
        a.add("--ro-bind");
        a.add(p.toString());
        a.add(p.toString());
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return real(p).toString();
        }
    }

    @Override
    public String name() {
        return "bwrap";
    }

    @Override
    public String describe() {
        return "bwrap (" + executable + ")";
    }

    @Override
    public List<String> commandLine(String program, List<String> args, Path workspace, Optional<Path> hidden,
            boolean network) {
        List<String> line = new ArrayList<>(system.size() + args.size() + 24);
        line.add(executable.toString());
        line.addAll(List.of("--die-with-parent", "--new-session", "--unshare-all"));
        if (network) {
            line.add("--share-net");
        }
        line.addAll(system);
        String ws = workspace.toString();
        line.addAll(List.of("--bind", ws, ws));
        hidden.ifPresent(h -> line.addAll(List.of("--tmpfs", h.toString())));
        line.addAll(List.of("--chdir", ws, "--clearenv"));
        Environment.of(workspace).forEach((k, v) -> line.addAll(List.of("--setenv", k, v)));
        line.add("--");
        line.add(program);
        line.addAll(args);
        return line;
    }

    @Override
    public boolean reaches(Path program, Path workspace) {
        if (program.startsWith(workspace)) {
            return true;
        }
        for (Path v : visible) {
            if (program.startsWith(v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code true} in the sandbox once. Empty when it worked; otherwise why not, e.g. when the
     * kernel or a container refuses the namespaces bwrap needs.
     */
    public Optional<String> probe() {
        Optional<Path> ok = Programs.onPath("true");
        if (ok.isEmpty()) {
            return Optional.of("there is no 'true' program in " + Environment.PATH + " to try it with");
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> line = new ArrayList<>(List.of(executable.toString(), "--die-with-parent", "--new-session",
                "--unshare-all"));
        line.addAll(system);
        line.addAll(List.of("--", ok.get().toString()));
        ProcessBuilder pb = new ProcessBuilder(line).directory(tmp.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(Environment.of(tmp));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Optional.of("it cannot be started: " + Reasons.ofStart(e));
        }
        try (InputStream err = p.getErrorStream()) {
            p.getOutputStream().close();
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("it did not finish within " + PROBE_SECONDS + " s");
            }
            if (p.exitValue() == 0) {
                return Optional.empty();
            }
            String said = new String(err.readNBytes(4096), StandardCharsets.UTF_8).strip();
            int nl = said.indexOf('\n');
            return Optional.of("it failed (exit code " + p.exitValue() + (said.isEmpty() ? "" : ": "
                    + (nl >= 0 ? said.substring(0, nl) : said)) + ")");
        } catch (IOException e) {
            return Optional.of("it failed: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.of("trying it was interrupted");
        }
    }
}
