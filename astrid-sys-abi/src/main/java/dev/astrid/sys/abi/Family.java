package dev.astrid.sys.abi;

/**
 * A family of host functions: the unit a provider supplies and a user replaces.
 *
 * <p>Each family has one byte-array interface ({@link #api()}) whose methods mirror the seed
 * declarations one to one. A provider of a family implements that interface for one capsule.
 */
public enum Family {
    /** Files inside the capsule's sandboxed view of the workspace and the shared home root. */
    FS("fs", FsFunctions.class),
    /** The host-wide event bus, uplinks, interceptor handles and run-loop readiness. */
    IPC("ipc", IpcFunctions.class),
    /** The capsule's durable key-value namespace. */
    KV("kv", KvFunctions.class),
    /** The capsule's resolved configuration and the caller of the current invocation. */
    CONFIG("config", ConfigFunctions.class),
    /** Unix domain sockets with length-prefixed frames. */
    NET("net", NetFunctions.class),
    /** Outbound HTTP requests, gated by the capsule's host allowlist. */
    HTTP("http", HttpFunctions.class),
    /** The host's journal. */
    LOG("log", LogFunctions.class),
    /** Dynamic cron jobs that call back into the capsule. */
    CRON("cron", CronFunctions.class),
    /** Synchronous hook fan-out to other capsules' interceptors. */
    HOOKS("hooks", HookFunctions.class),
    /** Wall-clock time. */
    CLOCK("clock", ClockFunctions.class),
    /** Questions to the user during install and upgrade. */
    ELICIT("elicit", ElicitFunctions.class),
    /** Presence checks on the capsule's secrets. */
    SECRETS("secrets", SecretFunctions.class),
    /** Human approval of sensitive actions. */
    APPROVAL("approval", ApprovalFunctions.class),
    /** Native host processes, in the foreground and in the background. */
    PROCESS("process", ProcessFunctions.class),
    /** Astrid users and their links to platform identities. */
    IDENTITY("identity", IdentityFunctions.class),
    /** Questions about another capsule's manifest capabilities. */
    CAPABILITY("capability", CapabilityFunctions.class);

    private final String id;
    private final Class<?> api;

    Family(String id, Class<?> api) {
        this.id = id;
        this.api = api;
    }

    /** Short lower-case name used in configuration, e.g. {@code fs} or {@code ipc}. */
    public String id() {
        return id;
    }

    /** The byte-array interface a provider of this family implements. */
    public Class<?> api() {
        return api;
    }

    /**
     * Finds a family by its {@link #id()}.
     *
     * @throws IllegalArgumentException naming the known ids when none matches
     */
    public static Family byId(String id) {
        for (Family f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Family f : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(f.id);
        }
        throw new IllegalArgumentException("unknown family '" + id + "' (known: " + known + ")");
    }
}
