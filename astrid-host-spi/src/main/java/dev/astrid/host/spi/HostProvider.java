package dev.astrid.host.spi;

import dev.astrid.sys.abi.ExtensionFunction;
import dev.astrid.sys.abi.Family;
import java.util.Set;

/**
 * Supplies one family of host functions. Found with {@link java.util.ServiceLoader}.
 *
 * <p>The host creates one provider object per host (so shared state, such as an event bus or a
 * database connection, lives in the provider) and calls {@link #bind} once for every capsule it
 * loads. The object returned by {@code bind} must implement {@link Family#api()} of
 * {@link #family()}; if it also implements {@link AutoCloseable}, the host closes it when the
 * capsule unloads.
 *
 * <p>When several providers of one family are installed, {@link ProviderSelection} decides.
 * Implement {@link FamilyProvider} rather than this interface directly: the compiler then checks
 * that {@code bind} returns the interface of the family the provider names.
 */
public interface HostProvider extends AutoCloseable {

    /** A stable name users put in configuration to pick this provider, e.g. {@code astrid-host-fs}. */
    String name();

    /** The family this provider supplies. */
    Family family();

    /**
     * Rank among providers of the same family when configuration names none: the highest wins.
     * Built-in providers declare {@value #BUILT_IN_PRIORITY}; a third-party provider meant to
     * replace one declares more.
     */
    default int priority() {
        return BUILT_IN_PRIORITY;
    }

    /**
     * The extension functions beyond the 48 ({@link ExtensionFunction}) of this family that its
     * bindings serve: each binding then also implements {@link ExtensionFunction#api()} of each. An
     * extension a capsule imports but no binding serves traps with "no provider installed". None by
     * default.
     */
    default Set<ExtensionFunction> extensions() {
        return Set.of();
    }

    /**
     * Binds the family for one capsule.
     *
     * @return an implementation of {@code family().api()} serving only that capsule
     * @throws HostException when the capsule cannot be served (bad configuration, missing
     *     directory); the load fails with that message
     */
    Object bind(CapsuleContext capsule);

    /** Releases what the provider holds for the whole host. Called once, at host shutdown. */
    @Override
    default void close() {}

    /** The priority of the providers that ship with the project. */
    int BUILT_IN_PRIORITY = 0;
}
