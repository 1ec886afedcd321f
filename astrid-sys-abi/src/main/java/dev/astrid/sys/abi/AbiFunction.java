package dev.astrid.sys.abi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog: every host function of the {@code astrid_sys} ABI, in the order the ABI declares
 * them.
 *
 * <p>A capsule imports these from the Extism user namespace {@code extism:host/user}. On the wasm
 * side every parameter is an {@code i64} handle of a block in Extism kernel memory, and a function
 * that returns bytes has exactly one {@code i64} result (the handle of a new block, 0 for empty);
 * a function that returns nothing has no result at all.
 */
public enum AbiFunction implements HostImport {
    // ---- files -------------------------------------------------------------------------------
    /** Whether a path exists in the capsule's view of the file system. */
    FS_EXISTS(Family.FS, "astrid_fs_exists", true,
            (FsFunctions f, byte[][] a) -> f.fsExists(a[0]), "path"),
    /** Creates a directory. */
    FS_MKDIR(Family.FS, "astrid_fs_mkdir", false,
            (FsFunctions f, byte[][] a) -> { f.fsMkdir(a[0]); return null; }, "path"),
    /** Lists a directory. */
    FS_READDIR(Family.FS, "astrid_fs_readdir", true,
            (FsFunctions f, byte[][] a) -> f.fsReaddir(a[0]), "path"),
    /** Size, kind and modification time of a path. */
    FS_STAT(Family.FS, "astrid_fs_stat", true,
            (FsFunctions f, byte[][] a) -> f.fsStat(a[0]), "path"),
    /** Removes a file or a directory. */
    FS_UNLINK(Family.FS, "astrid_fs_unlink", false,
            (FsFunctions f, byte[][] a) -> { f.fsUnlink(a[0]); return null; }, "path"),
    /** Reads a whole file. */
    READ_FILE(Family.FS, "astrid_read_file", true,
            (FsFunctions f, byte[][] a) -> f.readFile(a[0]), "path"),
    /** Writes a whole file. */
    WRITE_FILE(Family.FS, "astrid_write_file", false,
            (FsFunctions f, byte[][] a) -> { f.writeFile(a[0], a[1]); return null; }, "path", "content"),

    // ---- inter-process communication ---------------------------------------------------------
    /** Publishes a message on the host's event bus. */
    IPC_PUBLISH(Family.IPC, "astrid_ipc_publish", false,
            (IpcFunctions f, byte[][] a) -> { f.ipcPublish(a[0], a[1]); return null; }, "topic", "payload"),
    /** Subscribes to a topic pattern on the event bus. */
    IPC_SUBSCRIBE(Family.IPC, "astrid_ipc_subscribe", true,
            (IpcFunctions f, byte[][] a) -> f.ipcSubscribe(a[0]), "topic"),
    /** Ends a subscription. */
    IPC_UNSUBSCRIBE(Family.IPC, "astrid_ipc_unsubscribe", false,
            (IpcFunctions f, byte[][] a) -> { f.ipcUnsubscribe(a[0]); return null; }, "handle"),
    /** Takes whatever is queued on a subscription without waiting. */
    IPC_POLL(Family.IPC, "astrid_ipc_poll", true,
            (IpcFunctions f, byte[][] a) -> f.ipcPoll(a[0]), "handle"),
    /** Waits for a message on a subscription, up to a timeout. */
    IPC_RECV(Family.IPC, "astrid_ipc_recv", true,
            (IpcFunctions f, byte[][] a) -> f.ipcRecv(a[0], a[1]), "handle", "timeout_ms"),
    /** Registers a direct uplink, a front end that talks to users on a platform. */
    UPLINK_REGISTER(Family.IPC, "astrid_uplink_register", true,
            (IpcFunctions f, byte[][] a) -> f.uplinkRegister(a[0], a[1], a[2]), "name", "platform", "profile"),
    /** Sends content to a platform user through a registered uplink. */
    UPLINK_SEND(Family.IPC, "astrid_uplink_send", true,
            (IpcFunctions f, byte[][] a) -> f.uplinkSend(a[0], a[1], a[2]), "uplink_id", "platform_user_id", "content"),

    // ---- storage and configuration -----------------------------------------------------------
    /** Reads a value from the capsule's key-value namespace. */
    KV_GET(Family.KV, "astrid_kv_get", true,
            (KvFunctions f, byte[][] a) -> f.kvGet(a[0]), "key"),
    /** Stores a value in the capsule's key-value namespace. */
    KV_SET(Family.KV, "astrid_kv_set", false,
            (KvFunctions f, byte[][] a) -> { f.kvSet(a[0], a[1]); return null; }, "key", "value"),
    /** Deletes a key. */
    KV_DELETE(Family.KV, "astrid_kv_delete", false,
            (KvFunctions f, byte[][] a) -> { f.kvDelete(a[0]); return null; }, "key"),
    /** Lists the keys under a prefix, as a JSON array of strings. */
    KV_LIST_KEYS(Family.KV, "astrid_kv_list_keys", true,
            (KvFunctions f, byte[][] a) -> f.kvListKeys(a[0]), "prefix"),
    /** Deletes the keys under a prefix and answers how many went, as a JSON number. */
    KV_CLEAR_PREFIX(Family.KV, "astrid_kv_clear_prefix", true,
            (KvFunctions f, byte[][] a) -> f.kvClearPrefix(a[0]), "prefix"),
    /** Reads a configuration string. */
    GET_CONFIG(Family.CONFIG, "astrid_get_config", true,
            (ConfigFunctions f, byte[][] a) -> f.getConfig(a[0]), "key"),
    /** Describes the user and session that started the current execution. */
    GET_CALLER(Family.CONFIG, "astrid_get_caller", true,
            (ConfigFunctions f, byte[][] a) -> f.getCaller()),

    // ---- network -----------------------------------------------------------------------------
    /** Binds a Unix domain socket and answers a listener handle. */
    NET_BIND_UNIX(Family.NET, "astrid_net_bind_unix", true,
            (NetFunctions f, byte[][] a) -> f.netBindUnix(a[0]), "path"),
    /** Waits for a connection on a listener and answers a stream handle. */
    NET_ACCEPT(Family.NET, "astrid_net_accept", true,
            (NetFunctions f, byte[][] a) -> f.netAccept(a[0]), "listener_handle"),
    /** Reads from a stream. */
    NET_READ(Family.NET, "astrid_net_read", true,
            (NetFunctions f, byte[][] a) -> f.netRead(a[0]), "stream_handle"),
    /** Writes to a stream. */
    NET_WRITE(Family.NET, "astrid_net_write", false,
            (NetFunctions f, byte[][] a) -> { f.netWrite(a[0], a[1]); return null; }, "stream_handle", "data"),
    /** Closes a stream and releases what the host held for it. */
    NET_CLOSE_STREAM(Family.NET, "astrid_net_close_stream", false,
            (NetFunctions f, byte[][] a) -> { f.netCloseStream(a[0]); return null; }, "stream_handle"),
    /** Accepts a pending connection if there is one, without waiting; empty otherwise. */
    NET_POLL_ACCEPT(Family.NET, "astrid_net_poll_accept", true,
            (NetFunctions f, byte[][] a) -> f.netPollAccept(a[0]), "listener_handle"),

    // ---- general system ----------------------------------------------------------------------
    /** Performs an HTTP request described in JSON. */
    HTTP_REQUEST(Family.HTTP, "astrid_http_request", true,
            (HttpFunctions f, byte[][] a) -> f.httpRequest(a[0]), "request_bytes"),
    /** Writes to the host's journal. */
    LOG(Family.LOG, "astrid_log", false,
            (LogFunctions f, byte[][] a) -> { f.log(a[0], a[1]); return null; }, "level", "message"),
    /** Schedules a job that calls the capsule back later. */
    CRON_SCHEDULE(Family.CRON, "astrid_cron_schedule", false,
            (CronFunctions f, byte[][] a) -> { f.cronSchedule(a[0], a[1], a[2]); return null; },
            "name", "schedule", "payload"),
    /** Cancels a scheduled job. */
    CRON_CANCEL(Family.CRON, "astrid_cron_cancel", false,
            (CronFunctions f, byte[][] a) -> { f.cronCancel(a[0]); return null; }, "name"),
    /** Fires a hook event and waits for the answers of the capsules that intercept it. */
    TRIGGER_HOOK(Family.HOOKS, "astrid_trigger_hook", true,
            (HookFunctions f, byte[][] a) -> f.triggerHook(a[0]), "event_bytes"),

    // ---- clock -------------------------------------------------------------------------------
    /** Wall-clock milliseconds since the Unix epoch, in decimal. */
    CLOCK_MS(Family.CLOCK, "astrid_clock_ms", true,
            (ClockFunctions f, byte[][] a) -> f.clockMs()),

    // ---- lifecycle ---------------------------------------------------------------------------
    /**
     * Asks the user for input while the capsule installs or upgrades. The JSON answer is
     * {@code {"ok":true}} for a secret, {@code {"value":..}} for text or a choice, and
     * {@code {"values":[..]}} for a list; a refusal or a host failure ends the call instead.
     */
    ELICIT(Family.ELICIT, "astrid_elicit", true,
            (ElicitFunctions f, byte[][] a) -> f.elicit(a[0]), "request"),
    /** Whether a secret is set, without revealing it: {@code {"key":..}} in, {@code {"exists":..}} out. */
    HAS_SECRET(Family.SECRETS, "astrid_has_secret", true,
            (SecretFunctions f, byte[][] a) -> f.hasSecret(a[0]), "request"),

    // ---- approval ----------------------------------------------------------------------------
    /**
     * Asks a human to approve an action: {@code {"action","resource","risk_level"}} in,
     * {@code {"approved":..,"decision":..}} out. The guest waits for the answer or a timeout.
     */
    REQUEST_APPROVAL(Family.APPROVAL, "astrid_request_approval", true,
            (ApprovalFunctions f, byte[][] a) -> f.requestApproval(a[0]), "request"),

    // ---- host execution ----------------------------------------------------------------------
    /** Runs a native command on the host; needs the {@code host_process} capability. */
    SPAWN_HOST(Family.PROCESS, "astrid_spawn_host", true,
            (ProcessFunctions f, byte[][] a) -> f.spawnHost(a[0]), "cmd_and_args_json"),

    // ---- readiness and interceptors ----------------------------------------------------------
    /** Marks the capsule's run loop as ready: its subscriptions are in place. */
    SIGNAL_READY(Family.IPC, "astrid_signal_ready", false,
            (IpcFunctions f, byte[][] a) -> { f.signalReady(); return null; }),
    /** The interceptor subscriptions the host made for the capsule, as JSON {@code {handle_id, action, topic}} objects. */
    GET_INTERCEPTOR_HANDLES(Family.IPC, "astrid_get_interceptor_handles", true,
            (IpcFunctions f, byte[][] a) -> f.getInterceptorHandles()),

    // ---- identity ----------------------------------------------------------------------------
    /** Finds the Astrid user behind {@code {"platform","platform_user_id"}}. */
    IDENTITY_RESOLVE(Family.IDENTITY, "astrid_identity_resolve", true,
            (IdentityFunctions f, byte[][] a) -> f.identityResolve(a[0]), "request"),
    /** Links {@code {"platform","platform_user_id","astrid_user_id","method"}}. */
    IDENTITY_LINK(Family.IDENTITY, "astrid_identity_link", true,
            (IdentityFunctions f, byte[][] a) -> f.identityLink(a[0]), "request"),
    /** Removes the link of {@code {"platform","platform_user_id"}}. */
    IDENTITY_UNLINK(Family.IDENTITY, "astrid_identity_unlink", true,
            (IdentityFunctions f, byte[][] a) -> f.identityUnlink(a[0]), "request"),
    /** Creates a user; {@code {"display_name":..}} is optional. */
    IDENTITY_CREATE_USER(Family.IDENTITY, "astrid_identity_create_user", true,
            (IdentityFunctions f, byte[][] a) -> f.identityCreateUser(a[0]), "request"),
    /** Lists the links of {@code {"astrid_user_id":..}}. */
    IDENTITY_LIST_LINKS(Family.IDENTITY, "astrid_identity_list_links", true,
            (IdentityFunctions f, byte[][] a) -> f.identityListLinks(a[0]), "request"),

    // ---- cross-capsule capability checks -----------------------------------------------------
    /** Whether the capsule behind a session UUID holds a manifest capability: {@code {"allowed":..}}. */
    CHECK_CAPSULE_CAPABILITY(Family.CAPABILITY, "astrid_check_capsule_capability", true,
            (CapabilityFunctions f, byte[][] a) -> f.checkCapsuleCapability(a[0]), "request"),

    // ---- background processes ----------------------------------------------------------------
    /** Starts a command in the background with its output piped; answers {@code {"id":..}}. */
    SPAWN_BACKGROUND_HOST(Family.PROCESS, "astrid_spawn_background_host", true,
            (ProcessFunctions f, byte[][] a) -> f.spawnBackgroundHost(a[0]), "request"),
    /** Output a background process wrote since the last read, with its running state and exit code. */
    READ_PROCESS_LOGS_HOST(Family.PROCESS, "astrid_read_process_logs_host", true,
            (ProcessFunctions f, byte[][] a) -> f.readProcessLogsHost(a[0]), "request"),
    /** Stops a background process, frees it, and answers its final output. */
    KILL_PROCESS_HOST(Family.PROCESS, "astrid_kill_process_host", true,
            (ProcessFunctions f, byte[][] a) -> f.killProcessHost(a[0]), "request");

    /** The wasm import module every catalog function lives in. */
    public static final String IMPORT_MODULE = "extism:host/user";

    private static final Map<String, AbiFunction> BY_SYMBOL;
    private static final Map<Family, List<AbiFunction>> BY_FAMILY;

    static {
        Map<String, AbiFunction> bySymbol = new java.util.HashMap<>();
        Map<Family, List<AbiFunction>> byFamily = new EnumMap<>(Family.class);
        for (AbiFunction fn : values()) {
            bySymbol.put(fn.symbol, fn);
            byFamily.computeIfAbsent(fn.family, k -> new java.util.ArrayList<>()).add(fn);
        }
        byFamily.replaceAll((k, v) -> List.copyOf(v));
        BY_SYMBOL = Map.copyOf(bySymbol);
        BY_FAMILY = Collections.unmodifiableMap(byFamily);
    }

    private final Family family;
    private final String symbol;
    private final boolean returnsBytes;
    private final FunctionInvoker<?> invoker;
    private final List<String> params;

    AbiFunction(Family family, String symbol, boolean returnsBytes, FunctionInvoker<?> invoker, String... params) {
        this.family = family;
        this.symbol = symbol;
        this.returnsBytes = returnsBytes;
        this.invoker = invoker;
        this.params = List.of(params);
    }

    /** The family whose provider serves this function. */
    public Family family() {
        return family;
    }

    /** The import name, e.g. {@code astrid_kv_get}. */
    @Override
    public String symbol() {
        return symbol;
    }

    /** The parameter names as the ABI declares them. */
    @Override
    public List<String> params() {
        return params;
    }

    /** Whether the function has one {@code i64} result (a block handle) rather than none. */
    @Override
    public boolean returnsBytes() {
        return returnsBytes;
    }

    /**
     * Calls this function on an implementation of its family's interface.
     *
     * @throws ClassCastException if {@code target} does not implement {@link Family#api()}
     * @throws IllegalArgumentException if the argument count is wrong
     */
    @SuppressWarnings("unchecked")
    public byte[] invoke(Object target, byte[][] args) {
        if (args.length != params.size()) {
            throw new IllegalArgumentException(symbol + " takes " + params.size() + " arguments, got " + args.length);
        }
        return ((FunctionInvoker<Object>) invoker).invoke(family.api().cast(target), args);
    }

    /** The catalog entry with an import name, or {@code null} when the name is not in the ABI. */
    public static AbiFunction bySymbol(String symbol) {
        return BY_SYMBOL.get(symbol);
    }

    /** The functions of one family, in catalog order. */
    public static List<AbiFunction> ofFamily(Family family) {
        return BY_FAMILY.getOrDefault(family, List.of());
    }
}
