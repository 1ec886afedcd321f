package dev.astrid.reference.host;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.ProviderSelection;
import dev.astrid.sys.abi.Family;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The providers a host found, and the one it chose for each family. */
public final class ProviderRegistry implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("astrid.host");

    private final Map<Family, HostProvider> chosen;

    private ProviderRegistry(Map<Family, HostProvider> chosen) {
        this.chosen = chosen;
    }

    /**
     * Finds providers and applies {@link ProviderSelection} to each family.
     *
     * @param discover whether to ask {@link ServiceLoader}
     * @param extra providers supplied directly
     * @param choices provider names configured per family
     * @throws IllegalStateException when a provider cannot be created or a choice is invalid
     */
    public static ProviderRegistry create(boolean discover, List<HostProvider> extra, Map<Family, String> choices) {
        List<HostProvider> all = new ArrayList<>(extra);
        if (discover) {
            try {
                for (HostProvider p : ServiceLoader.load(HostProvider.class, ProviderRegistry.class.getClassLoader())) {
                    if (all.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                        all.add(p);
                    }
                }
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("a host provider could not be loaded: " + e.getMessage(), e);
            }
        }
        Map<Family, HostProvider> chosen = new EnumMap<>(Family.class);
        for (Family f : Family.values()) {
            Optional<HostProvider> p = ProviderSelection.select(f, all, Optional.ofNullable(choices.get(f)));
            p.ifPresent(x -> chosen.put(f, x));
        }
        for (HostProvider p : all) {
            if (chosen.get(p.family()) != p) {
                LOG.log(System.Logger.Level.DEBUG, "provider " + p.name() + " of family " + p.family().id() + " is installed but not used");
            }
        }
        return new ProviderRegistry(Collections.unmodifiableMap(chosen));
    }

    /** The provider chosen for a family, if any. */
    public Optional<HostProvider> forFamily(Family family) {
        return Optional.ofNullable(chosen.get(family));
    }

    /** Closes every chosen provider. */
    @Override
    public void close() {
        for (HostProvider p : chosen.values()) {
            try {
                p.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing provider " + p.name() + " failed", e);
            }
        }
    }
}
