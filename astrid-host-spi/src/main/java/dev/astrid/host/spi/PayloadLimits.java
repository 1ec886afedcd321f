package dev.astrid.host.spi;

import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import java.util.EnumMap;
import java.util.Map;

/**
 * Upper bounds on the argument blocks of each host function.
 *
 * <p>The host checks a block's length before it copies a single byte, so a guest cannot make the
 * host allocate more than these bounds. A block over its bound ends the call with
 * {@link #tooLarge(long, long)}'s message.
 */
public final class PayloadLimits {
    /** The general bound on a guest payload: 10 MiB. */
    public static final int MAX_GUEST_PAYLOAD = 10 * 1024 * 1024;
    /** The bound on a path: 4096 bytes. */
    public static final int MAX_PATH = 4096;
    /** The bound on a log message: 64 KiB. */
    public static final int MAX_LOG_MESSAGE = 65536;
    /** The bound on a KV key: 4096 bytes. */
    public static final int MAX_KEY = 4096;
    /** The bound on an IPC topic or pattern: 256 bytes. */
    public static final int MAX_TOPIC = 256;
    /** The bound on a decimal handle or timeout: 32 bytes. */
    public static final int MAX_DECIMAL = 32;
    private static final int ONE_MIB = 1024 * 1024;

    private static final Map<AbiFunction, int[]> LIMITS = new EnumMap<>(AbiFunction.class);

    static {
        for (AbiFunction fn : AbiFunction.values()) {
            int[] l = new int[fn.paramCount()];
            java.util.Arrays.fill(l, MAX_GUEST_PAYLOAD);
            LIMITS.put(fn, l);
        }
        set(AbiFunction.FS_EXISTS, MAX_PATH);
        set(AbiFunction.FS_MKDIR, MAX_PATH);
        set(AbiFunction.FS_READDIR, MAX_PATH);
        set(AbiFunction.FS_STAT, MAX_PATH);
        set(AbiFunction.FS_UNLINK, MAX_PATH);
        set(AbiFunction.READ_FILE, MAX_PATH);
        set(AbiFunction.WRITE_FILE, MAX_PATH, MAX_GUEST_PAYLOAD);
        set(AbiFunction.IPC_PUBLISH, MAX_TOPIC, MAX_GUEST_PAYLOAD);
        set(AbiFunction.IPC_SUBSCRIBE, MAX_TOPIC);
        set(AbiFunction.IPC_UNSUBSCRIBE, MAX_DECIMAL);
        set(AbiFunction.IPC_POLL, MAX_DECIMAL);
        set(AbiFunction.IPC_RECV, MAX_DECIMAL, MAX_DECIMAL);
        set(AbiFunction.UPLINK_REGISTER, 512, 512, 512);
        set(AbiFunction.UPLINK_SEND, 128, 512, ONE_MIB);
        set(AbiFunction.KV_GET, MAX_KEY);
        set(AbiFunction.KV_SET, MAX_KEY, MAX_GUEST_PAYLOAD);
        set(AbiFunction.KV_DELETE, MAX_KEY);
        set(AbiFunction.KV_LIST_KEYS, MAX_KEY);
        set(AbiFunction.KV_CLEAR_PREFIX, MAX_KEY);
        set(AbiFunction.GET_CONFIG, MAX_KEY);
        set(AbiFunction.NET_BIND_UNIX, MAX_PATH);
        set(AbiFunction.NET_ACCEPT, 1024);
        set(AbiFunction.NET_READ, 1024);
        set(AbiFunction.NET_WRITE, 1024, MAX_GUEST_PAYLOAD);
        set(AbiFunction.NET_CLOSE_STREAM, 1024);
        set(AbiFunction.NET_POLL_ACCEPT, 1024);
        set(AbiFunction.LOG, 64, MAX_LOG_MESSAGE);
        set(AbiFunction.CRON_SCHEDULE, 256, 256, ONE_MIB);
        set(AbiFunction.CRON_CANCEL, 256);
        set(AbiFunction.TRIGGER_HOOK, ONE_MIB);
        set(AbiFunction.HAS_SECRET, MAX_KEY);
        set(AbiFunction.CHECK_CAPSULE_CAPABILITY, 1024);
        set(AbiFunction.READ_PROCESS_LOGS_HOST, 256);
        set(AbiFunction.KILL_PROCESS_HOST, 256);
    }

    private PayloadLimits() {}

    private static void set(AbiFunction fn, int... limits) {
        if (limits.length != fn.paramCount()) {
            throw new IllegalStateException(fn.symbol() + ": " + limits.length + " limits for " + fn.paramCount() + " params");
        }
        LIMITS.put(fn, limits);
    }

    /** The largest block the host accepts as argument {@code index} of a function. */
    public static int maxArgument(AbiFunction fn, int index) {
        return LIMITS.get(fn)[index];
    }

    /**
     * The largest block the host accepts as argument {@code index} of an extension function: 10 MiB
     * for a request, 1024 bytes for a handle.
     */
    public static int maxArgument(ExtensionFunction fn, int index) {
        java.util.Objects.checkIndex(index, fn.paramCount());
        return fn == ExtensionFunction.HTTP_STREAM_START ? MAX_GUEST_PAYLOAD : 1024;
    }

    /** The reason given when a block is over its bound. */
    public static String tooLarge(long length, long limit) {
        return "memory allocation of " + length + " bytes exceeds maximum allowed limit of " + limit + " bytes";
    }

    /**
     * Checks a payload a provider received through another route than a guest argument.
     *
     * @throws HostException with {@link #tooLarge(long, long)}'s message when over the limit
     */
    public static byte[] requireAtMost(byte[] bytes, int limit) {
        if (bytes.length > limit) {
            throw new HostException(tooLarge(bytes.length, limit));
        }
        return bytes;
    }
}
