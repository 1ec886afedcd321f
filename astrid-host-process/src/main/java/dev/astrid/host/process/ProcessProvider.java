package dev.astrid.host.process;

import dev.astrid.host.process.internal.Bwrap;
import dev.astrid.host.process.internal.CapsuleProcesses;
import dev.astrid.host.process.internal.Limits;
import dev.astrid.host.process.internal.Sandbox;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.sys.abi.Family;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in provider of the process family: the four {@code astrid_*_host} functions.
 *
 * <p>A capsule runs only the commands its {@code host_process} capability names, exactly, with
 * arguments as a list (never through a shell), in its workspace, with the environment
 * {@code PATH=/usr/local/bin:/usr/bin:/bin}, {@code HOME=<workspace>}, {@code LANG=C.UTF-8} and
 * nothing else, and an empty stdin. On Linux with {@code bwrap} the commands run inside bubblewrap
 * (read-only system, writable workspace, no network without the {@code net} capability); without
 * it they run unsandboxed, and loading a capsule that may run commands logs a warning.
 *
 * <p>Settings: {@value #TIMEOUT_SETTING} (default 60000), {@value #MAX_OUTPUT_SETTING} (default
 * 1 MiB per stream), {@value #MAX_BACKGROUND_SETTING} (default 8), {@value #SANDBOX_SETTING}
 * ({@code auto}, {@code bwrap} or {@code none}; default {@code auto}) and {@value #BWRAP_SETTING}
 * (default {@code bwrap}, looked up on the host's {@code PATH}). docs/families/process.md has the details.
 *
 * <p>Every process tree a capsule started is killed when the capsule unloads, when the provider
 * closes, and when the JVM exits (a shutdown hook, registered while the provider is open).
 */
public final class ProcessProvider implements HostProvider {
    /** The provider's name in configuration. */
    public static final String NAME = "astrid-host-process";
    /** How long {@code astrid_spawn_host} waits for its command, in milliseconds. */
    public static final String TIMEOUT_SETTING = "process.timeout-ms";
    /** Bytes of output kept per stream. */
    public static final String MAX_OUTPUT_SETTING = "process.max-output-bytes";
    /** Background processes per capsule. */
    public static final String MAX_BACKGROUND_SETTING = "process.max-background";
    /** {@code auto}, {@code bwrap} or {@code none}. */
    public static final String SANDBOX_SETTING = "process.sandbox";
    /** The bwrap program: a path, or a name looked up on the host's {@code PATH}. */
    public static final String BWRAP_SETTING = "process.bwrap";

    private static final long MAX_TIMEOUT_MS = Duration.ofDays(1).toMillis();
    private static final int MAX_BACKGROUND = 64;

    private final Set<CapsuleProcesses> live = ConcurrentHashMap.newKeySet();
    private final Map<Path, Optional<String>> probes = new HashMap<>(); // guarded by this: why bwrap fails, by executable
    private Thread shutdownHook; // guarded by this
    private boolean closed; // guarded by this

    /** A provider; nothing runs until a capsule asks. */
    public ProcessProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Family family() {
        return Family.PROCESS;
    }

    /**
     * Serves the process functions to one capsule. A capsule with an empty {@code host_process}
     * list can run nothing, so nothing is probed for it.
     *
     * @throws HostException for an invalid setting, or {@code process.sandbox=bwrap} where bwrap cannot run
     */
    @Override
    public Object bind(CapsuleContext capsule) {
        Objects.requireNonNull(capsule, "capsule");
        Limits limits = limits(capsule.settings());
        String mode = sandboxMode(capsule.settings());
        Optional<Sandbox> sandbox = Optional.empty();
        List<String> commands = capsule.capabilities().hostProcess();
        if (!commands.isEmpty()) {
            Sandbox s = sandbox(mode, capsule.settings(), capsule.logger(), capsule.capsuleId());
            capsule.logger().log(System.Logger.Level.DEBUG, "host processes " + commands + " run with sandbox " + s.describe());
            sandbox = Optional.of(s);
        }
        synchronized (this) {
            if (closed) {
                throw new HostException("process provider is closed");
            }
            CapsuleProcesses b = new CapsuleProcesses(capsule, limits, sandbox, live::remove);
            live.add(b);
            if (shutdownHook == null) {
                shutdownHook = new Thread(this::killEverything, "astrid-process-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            return b;
        }
    }

    /** Kills every process of every capsule still bound, removes the shutdown hook; binding afterwards fails. */
    @Override
    public void close() {
        Thread hook;
        synchronized (this) {
            closed = true;
            hook = shutdownHook;
            shutdownHook = null;
        }
        killEverything();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting and the hook is running or has run.
            }
        }
    }

    private void killEverything() {
        for (CapsuleProcesses b : List.copyOf(live)) {
            b.close();
        }
    }

    /**
     * The sandbox this provider gives capsules under these settings.
     *
     * @throws HostException when the settings are invalid or ask for bwrap where it cannot run
     */
    Sandbox sandbox(ProviderSettings settings) {
        return sandbox(sandboxMode(settings), settings, System.getLogger(ProcessProvider.class.getName()), "(probe)");
    }

    private Sandbox sandbox(String mode, ProviderSettings settings, System.Logger log, String capsuleId) {
        if (mode.equals("none")) {
            // The operator chose this; the warning is for the fallback they did not choose.
            log.log(System.Logger.Level.INFO, capsuleId + " may run host processes; they run unsandboxed ("
                    + SANDBOX_SETTING + "=none)");
            return Sandbox.NONE;
        }
        String why;
        String setting = settings.get(BWRAP_SETTING, "bwrap").trim();
        Optional<Path> exe = Bwrap.locate(setting, System.getenv("PATH"));
        Bwrap bwrap = null;
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            why = "bubblewrap exists only on Linux";
        } else if (exe.isEmpty()) {
            why = "there is no " + setting + (setting.indexOf('/') >= 0 ? "" : " on the PATH")
                    + " (install the bubblewrap package)";
        } else {
            bwrap = Bwrap.over(exe.get());
            Optional<String> failure = probe(exe.get(), bwrap);
            why = failure.map(f -> exe.get() + " cannot run here: " + f).orElse(null);
        }
        if (why == null) {
            return bwrap;
        }
        if (mode.equals("bwrap")) {
            throw new HostException(SANDBOX_SETTING + "=bwrap, but " + why);
        }
        log.log(System.Logger.Level.WARNING, capsuleId + " may run host processes, and they run UNSANDBOXED with the "
                + "host user's rights: " + why);
        return Sandbox.NONE;
    }

    private synchronized Optional<String> probe(Path exe, Bwrap bwrap) {
        return probes.computeIfAbsent(exe, e -> bwrap.probe());
    }

    private static String sandboxMode(ProviderSettings settings) {
        String mode = settings.get(SANDBOX_SETTING, "auto").trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "bwrap", "none").contains(mode)) {
            throw new HostException("setting " + SANDBOX_SETTING + " must be auto, bwrap or none, got '"
                    + settings.get(SANDBOX_SETTING, "") + "'");
        }
        return mode;
    }

    private static Limits limits(ProviderSettings s) {
        long timeout = range(s, TIMEOUT_SETTING, Limits.DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
        long output = range(s, MAX_OUTPUT_SETTING, Limits.DEFAULT_MAX_OUTPUT_BYTES, 1, PayloadLimits.MAX_GUEST_PAYLOAD);
        long background = range(s, MAX_BACKGROUND_SETTING, Limits.DEFAULT_MAX_BACKGROUND, 0, MAX_BACKGROUND);
        return new Limits(Duration.ofMillis(timeout), (int) output, (int) background);
    }

    private static long range(ProviderSettings s, String key, long dflt, long min, long max) {
        long v = s.getLong(key, dflt);
        if (v < min || v > max) {
            throw new HostException("setting " + key + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }
}
