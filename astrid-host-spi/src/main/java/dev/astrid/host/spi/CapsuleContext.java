package dev.astrid.host.spi;

import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.SecretStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * What a provider knows about the capsule it serves, and the few ways it may act on the host.
 */
public interface CapsuleContext {

    /** The capsule's id: its {@code [package] name}. */
    String capsuleId();

    /**
     * The namespace of the capsule's durable state (KV, secrets, its data directory): an identity
     * the module itself cannot choose. A capsule with a manifest has {@code capsule:<name>}, and
     * the host binds that name to its component (see its install record); a bare module loaded
     * without a manifest has {@code module:<sha256 of its bytes>}, which no named capsule shares,
     * however its file is named. Providers key persistent state by this, never by
     * {@link #capsuleId()}, which is only the display id.
     */
    default String stateNamespace() {
        return "capsule:" + capsuleId();
    }

    /**
     * A random id for this load of the capsule. It is the {@code source_id} of the capsule's IPC
     * messages and changes every time the capsule is loaded.
     */
    UUID sessionId();

    /** The capsule's parsed manifest. */
    CapsuleManifest manifest();

    /** Shortcut for {@code manifest().capabilities()}. */
    default Capabilities capabilities() {
        return manifest().capabilities();
    }

    /** The capsule's resolved configuration: its {@code [env]} values and command-line overrides. */
    Map<String, String> config();

    /** Host settings addressed to providers, such as {@code fs.mode=overlay}. */
    ProviderSettings settings();

    /** The host's data directory, shared by every capsule (databases, the shared home root). */
    Path hostDataDir();

    /** A directory that belongs to this capsule alone, inside the host data directory; it exists. */
    Path capsuleDataDir();

    /** The workspace the capsule works on. */
    Path workspace();

    /** The clock providers use for timestamps and timeouts. */
    Clock clock();

    /** The logger for this capsule's host-side messages. */
    System.Logger logger();

    /** The capsule itself, to call its exports back (interceptors, cron, hooks). */
    CapsuleHandle self();

    /** Every capsule loaded on this host, this one included. */
    CapsuleRegistry capsules();

    /** The export call the capsule is running on the current thread, if any. */
    Invocation currentInvocation();

    /** Records that the capsule's run loop is ready; the host may then start its dependants. */
    void markReady();

    /** Where the capsule's uplink messages go; {@link UplinkConsumer#NONE} when nothing reads them. */
    UplinkConsumer uplinkConsumer();

    /**
     * The host's secret store, shared by every capsule: values are owned by
     * {@link #stateNamespace()}. {@link SecretStore#NONE} when the host has none.
     *
     * @throws HostException when the host's store cannot be opened (a missing or wrong key); a
     *     provider that asks while binding makes the capsule's load fail with that message
     */
    default SecretStore secrets() {
        return SecretStore.NONE;
    }

    /**
     * How the host reaches a person (install-time questions, approvals).
     * {@link Interaction#NONE} when nobody can be asked.
     */
    default Interaction interaction() {
        return Interaction.NONE;
    }
}
