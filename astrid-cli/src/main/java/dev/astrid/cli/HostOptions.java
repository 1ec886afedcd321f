package dev.astrid.cli;

import dev.astrid.reference.HostConfig;
import dev.astrid.engine.EngineOptions;
import dev.astrid.engine.KernelLog;
import dev.astrid.sys.abi.Family;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.astrid.host.spi.PrintableText;
import dev.astrid.sys.abi.SdkProfile;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command that starts a host shares. */
final class HostOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Host data directory, outside the workspace (default: $XDG_STATE_HOME/astrid, else ~/.local/state/astrid).")
    Path dataDir = HostConfig.defaultDataDir();

    @Option(names = "--workspace", paramLabel = "DIR", description = "Workspace capsules work on (default: the current directory).")
    Path workspace = Path.of("");

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A configuration value (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--allow-host", paramLabel = "PATTERN", description = "A host glob Extism HTTP may reach (repeatable).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--provider", paramLabel = "FAMILY=NAME", description = "Pick the provider of a family by name (repeatable).")
    Map<String, String> providers = new LinkedHashMap<>();

    @Option(names = "--providers", paramLabel = "DIR",
            description = "Load the provider jars of a directory (repeatable); $ASTRID_PROVIDERS and <data-dir>/providers/ are loaded too.")
    List<Path> providerDirs = new ArrayList<>();

    @Option(names = "--setting", paramLabel = "KEY=VALUE", description = "A provider setting such as fs.mode=direct (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--memory-max-mib", paramLabel = "N", description = "Guest memory limit in MiB (default: 64).")
    int memoryMaxMib = 64;

    @Option(names = "--interpreter", description = "Run on Chicory's interpreter instead of its compiler.")
    boolean interpreter;

    @Option(names = "--no-cache",
            description = "Compile modules every time; do not read or write the compiled-module cache in <data-dir>/cache/.")
    boolean noCache;

    @Option(names = "--cache-max-mib", paramLabel = "N", description = "Bound on the compiled-module cache in MiB (default: 256).")
    int cacheMaxMib = 256;

    @Option(names = "--instances", paramLabel = "N",
            description = "Instances per capsule that may serve concurrent calls (tool calls, hooks, interceptors), 1 to 64 (default: 1).")
    int instances = 1;

    @Option(names = "--wasi", description = "Give a bare module WASI preview 1 (capsules always have it).")
    boolean wasi;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn, error or off (default: info).")
    String logLevel = "info";

    @Option(names = "--profile", paramLabel = "[CAPSULE=]PROFILE", converter = ProfileOption.Converter.class,
            description = "The SDK profile (seed, 0.3, 0.4, 0.5, or an SDK version like 0.4.1) of every capsule, or with CAPSULE= of one "
                    + "capsule (repeatable; a later one wins). Default: the manifest's astrid-sdk, else the SDK version found in the module, else seed.")
    List<ProfileOption> profiles = new ArrayList<>();

    @Mixin
    InteractionOptions interactionOptions = new InteractionOptions();

    /** How {@link #toConfig()}'s host reaches a person: the terminal, or the answers given up front. */
    TerminalInteraction interaction;

    /** The providers {@link #toConfig()} loaded from provider jars, with the jar each came from. */
    ProviderJars providerJars = ProviderJars.NONE;

    /** The host configuration these options describe, with the providers of the provider jars added. */
    HostConfig.Builder toConfig() {
        if (memoryMaxMib < 1 || memoryMaxMib > 4096) {
            throw new IllegalArgumentException("--memory-max-mib must be between 1 and 4096, got " + memoryMaxMib);
        }
        if (cacheMaxMib < 1 || cacheMaxMib > 1 << 20) {
            throw new IllegalArgumentException("--cache-max-mib must be between 1 and 1048576, got " + cacheMaxMib);
        }
        if (instances < 1 || instances > HostConfig.Builder.MAX_INSTANCE_POOL) {
            throw new IllegalArgumentException("--instances must be between 1 and " + HostConfig.Builder.MAX_INSTANCE_POOL
                    + ", got " + instances);
        }
        HostConfig.Builder b = HostConfig.builder()
                .dataDir(dataDir)
                .workspace(workspace)
                .engine(EngineOptions.DEFAULT.withInterpreter(interpreter).withMaxGuestMemoryBytes(memoryMaxMib * 1024L * 1024))
                .moduleCache(!noCache)
                .moduleCacheMaxBytes(cacheMaxMib * 1024L * 1024)
                .instancePool(instances)
                .wasi(wasi)
                .wasiOutput(System.err)
                .logLevel(kernelLevel(logLevel));
        config.forEach(b::config);
        allowHosts.forEach(b::allowHost);
        settings.forEach(b::setting);
        providers.forEach((family, name) -> b.provider(Family.byId(family), name));
        for (ProfileOption p : profiles) {
            if (p.capsule().isEmpty()) {
                b.profile(p.profile());
            } else {
                b.profile(p.capsule(), p.profile());
            }
        }
        providerJars = ProviderJars.load(ProviderJars.directories(providerDirs, System.getenv(ProviderJars.ENV), dataDir));
        providerJars.providers().forEach(b::addProvider);
        interaction = new TerminalInteraction(TerminalInteraction.systemConsole(), interactionOptions.answers());
        b.interaction(interaction);
        if (interactionOptions.approvalPolicy != null) {
            b.setting("approval.policy-file", interactionOptions.approvalPolicy.toAbsolutePath().toString());
        }
        return b;
    }

    /**
     * One {@code --profile}: a profile for every capsule, or for the capsule named before {@code =}.
     *
     * @param capsule the capsule's name, or empty for every capsule
     * @param profile the profile
     */
    record ProfileOption(String capsule, SdkProfile profile) {
        private static final java.util.regex.Pattern CAPSULE = java.util.regex.Pattern.compile("[a-z0-9-]+");

        /** Parses {@code PROFILE} or {@code CAPSULE=PROFILE}; a bad value is a usage error naming the accepted ones. */
        static final class Converter implements CommandLine.ITypeConverter<ProfileOption> {
            @Override
            public ProfileOption convert(String value) {
                int eq = value.indexOf('=');
                String capsule = eq < 0 ? "" : value.substring(0, eq);
                if (eq >= 0 && !CAPSULE.matcher(capsule).matches()) {
                    throw new CommandLine.TypeConversionException("'" + PrintableText.escape(value)
                            + "' names no capsule before '=': use PROFILE or CAPSULE=PROFILE, a capsule name using a-z, 0-9 and '-'");
                }
                try {
                    return new ProfileOption(capsule, SdkProfile.parse(value.substring(eq + 1)));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException(e.getMessage());
                }
            }
        }
    }

    static int kernelLevel(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "trace": return KernelLog.TRACE;
            case "debug": return KernelLog.DEBUG;
            case "info": return KernelLog.INFO;
            case "warn": return KernelLog.WARN;
            case "error": return KernelLog.ERROR;
            case "off": return KernelLog.OFF;
            default: throw new IllegalArgumentException("unknown log level '" + name + "' (trace, debug, info, warn, error, off)");
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                default: return Duration.ofHours(n);
            }
        }
        try {
            return Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (use 500ms, 10s, 2m, 1h or PT10S)");
        }
    }
}
