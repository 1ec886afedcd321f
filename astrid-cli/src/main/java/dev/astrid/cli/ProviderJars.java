package dev.astrid.cli;

import dev.astrid.host.spi.HostProvider;
import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Providers from jars outside the launcher's module path: every {@code .jar} in the directories
 * given with {@code --providers}, listed in {@code $ASTRID_PROVIDERS} and in
 * {@code <data-dir>/providers/}. The jars form one module layer over the boot layer, so a provider
 * module reads the SPI and the ABI the host itself uses; its {@link HostProvider}s are found with
 * {@link ServiceLoader} in that layer (a modular jar's {@code provides}, an automatic module's
 * {@code META-INF/services}).
 */
final class ProviderJars {
    /** The environment variable that lists provider directories, separated like a path. */
    static final String ENV = "ASTRID_PROVIDERS";
    /** Where {@code abi} says a provider came from when it is on the launcher's module path. */
    static final String BUILT_IN = "built-in";
    /** No extra providers. */
    static final ProviderJars NONE = new ProviderJars(List.of(), new IdentityHashMap<>());

    private final List<HostProvider> providers;
    private final Map<HostProvider, String> jarOf;

    private ProviderJars(List<HostProvider> providers, Map<HostProvider, String> jarOf) {
        this.providers = List.copyOf(providers);
        this.jarOf = jarOf;
    }

    /**
     * The directories to load in order: the {@code --providers} ones, those in the environment
     * variable's value (may be null), and the data directory's {@code providers/} when it exists.
     */
    static List<Path> directories(List<Path> given, String env, Path dataDir) {
        List<Path> dirs = new ArrayList<>(given);
        if (env != null) {
            for (String s : env.split(Pattern.quote(File.pathSeparator))) {
                if (!s.isBlank()) {
                    dirs.add(Path.of(s));
                }
            }
        }
        Path own = dataDir.resolve("providers");
        if (Files.isDirectory(own)) {
            dirs.add(own);
        }
        return dirs;
    }

    /** Loads the provider jars of these directories; a directory named here must exist. */
    static ProviderJars load(List<Path> dirs) {
        List<Path> jars = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("the provider directory " + d + " does not exist or is not a directory");
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().forEach(jars::add);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list the provider directory " + d + ": " + e.getMessage(), e);
            }
        }
        if (jars.isEmpty()) {
            return NONE;
        }
        ModuleLayer boot = ModuleLayer.boot();
        ModuleLayer layer;
        Configuration cf;
        try {
            ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
            // A jar holding a module the host already has (the SPI, say) is not loaded twice.
            Set<String> roots = finder.findAll().stream().map(r -> r.descriptor().name())
                    .filter(n -> boot.findModule(n).isEmpty()).collect(Collectors.toSet());
            // The boot layer is searched first, so provider modules share the host's SPI classes.
            cf = boot.configuration().resolveAndBind(ModuleFinder.of(), finder, roots);
            layer = boot.defineModulesWithOneLoader(cf, ProviderJars.class.getClassLoader());
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new IllegalArgumentException("cannot load the provider jars: " + e.getMessage(), e);
        }
        List<HostProvider> providers = new ArrayList<>();
        Map<HostProvider, String> jarOf = new IdentityHashMap<>();
        try {
            ServiceLoader.load(layer, HostProvider.class).stream()
                    .filter(p -> p.type().getModule().getLayer() == layer)
                    .forEach(p -> {
                        HostProvider provider = p.get();
                        providers.add(provider);
                        jarOf.put(provider, jarName(cf, p.type().getModule().getName()));
                    });
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("a provider in the provider jars could not be loaded: " + e.getMessage(), e);
        }
        return new ProviderJars(providers, jarOf);
    }

    private static String jarName(Configuration cf, String module) {
        return cf.findModule(module).map(m -> m.reference()).flatMap(ModuleReference::location)
                .map(uri -> Path.of(uri).getFileName().toString()).orElse(module);
    }

    /** The providers loaded from the jars. */
    List<HostProvider> providers() {
        return providers;
    }

    /** The jar file name a provider came from, or {@value #BUILT_IN}. */
    String from(HostProvider p) {
        return jarOf.getOrDefault(p, BUILT_IN);
    }
}
