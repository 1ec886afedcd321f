package dev.astrid.host.spi;

import dev.astrid.sys.abi.Family;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rule that picks one provider per family when several are installed.
 *
 * <ol>
 *   <li>If configuration names a provider for the family, that provider is used; a name that no
 *       installed provider of the family carries is an error.
 *   <li>Otherwise the provider with the highest {@link HostProvider#priority()} is used.
 *   <li>Two providers sharing the highest priority are an error that asks for configuration:
 *       the host never picks one silently.
 *   <li>No provider at all is not an error here: the family is simply absent.
 * </ol>
 */
public final class ProviderSelection {
    private ProviderSelection() {}

    /**
     * Picks the provider of one family.
     *
     * @param family the family to serve
     * @param installed every provider found, of any family
     * @param configured the provider name configuration asks for, if any
     * @throws IllegalStateException when the configured name is unknown or the choice is ambiguous
     */
    public static Optional<HostProvider> select(Family family, List<? extends HostProvider> installed,
            Optional<String> configured) {
        List<HostProvider> candidates = new ArrayList<>();
        for (HostProvider p : installed) {
            if (p.family() == family) {
                candidates.add(p);
            }
        }
        if (configured.isPresent()) {
            String wanted = configured.get();
            return Optional.of(candidates.stream().filter(p -> p.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("provider '" + wanted + "' configured for family "
                            + family.id() + " is not installed (installed: " + names(candidates) + ")")));
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        candidates.sort(Comparator.comparingInt(HostProvider::priority).reversed());
        HostProvider best = candidates.get(0);
        if (candidates.size() > 1 && candidates.get(1).priority() == best.priority()) {
            List<HostProvider> tied = candidates.stream().filter(p -> p.priority() == best.priority())
                    .collect(Collectors.toList());
            throw new IllegalStateException("providers " + names(tied) + " of family " + family.id()
                    + " share priority " + best.priority() + "; choose one by name for family " + family.id()
                    + " (HostConfig.Builder.provider)");
        }
        return Optional.of(best);
    }

    private static String names(List<HostProvider> providers) {
        return providers.isEmpty() ? "none"
                : providers.stream().map(HostProvider::name).sorted().collect(Collectors.joining(", "));
    }
}
