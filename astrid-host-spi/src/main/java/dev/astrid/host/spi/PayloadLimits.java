package dev.astrid.host.spi;

import dev.astrid.sys.abi.HostFunction;
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

    private static final Map<HostFunction, int[]> LIMITS = new EnumMap<>(HostFunction.class);

    static {
        for (HostFunction fn : HostFunction.values()) {
            int[] l = new int[fn.paramCount()];
            java.util.Arrays.fill(l, MAX_GUEST_PAYLOAD);
            LIMITS.put(fn, l);
        }
        set(HostFunction.FS_EXISTS, MAX_PATH);
        set(HostFunction.FS_MKDIR, MAX_PATH);
        set(HostFunction.FS_READDIR, MAX_PATH);
        set(HostFunction.FS_STAT, MAX_PATH);
        set(HostFunction.FS_UNLINK, MAX_PATH);
        set(HostFunction.READ_FILE, MAX_PATH);
        set(HostFunction.WRITE_FILE, MAX_PATH, MAX_GUEST_PAYLOAD);
        set(HostFunction.IPC_PUBLISH, MAX_TOPIC, MAX_GUEST_PAYLOAD);
        set(HostFunction.IPC_SUBSCRIBE, MAX_TOPIC);
        set(HostFunction.IPC_UNSUBSCRIBE, MAX_DECIMAL);
        set(HostFunction.IPC_POLL, MAX_DECIMAL);
        set(HostFunction.IPC_RECV, MAX_DECIMAL, MAX_DECIMAL);
        set(HostFunction.UPLINK_REGISTER, 512, 512, 512);
        set(HostFunction.UPLINK_SEND, 128, 512, ONE_MIB);
        set(HostFunction.KV_GET, MAX_KEY);
        set(HostFunction.KV_SET, MAX_KEY, MAX_GUEST_PAYLOAD);
        set(HostFunction.KV_DELETE, MAX_KEY);
        set(HostFunction.KV_LIST_KEYS, MAX_KEY);
        set(HostFunction.KV_CLEAR_PREFIX, MAX_KEY);
        set(HostFunction.GET_CONFIG, MAX_KEY);
        set(HostFunction.NET_BIND_UNIX, MAX_PATH);
        set(HostFunction.NET_ACCEPT, 1024);
        set(HostFunction.NET_READ, 1024);
        set(HostFunction.NET_WRITE, 1024, MAX_GUEST_PAYLOAD);
        set(HostFunction.NET_CLOSE_STREAM, 1024);
        set(HostFunction.NET_POLL_ACCEPT, 1024);
        set(HostFunction.LOG, 64, MAX_LOG_MESSAGE);
        set(HostFunction.CRON_SCHEDULE, 256, 256, ONE_MIB);
        set(HostFunction.CRON_CANCEL, 256);
        set(HostFunction.TRIGGER_HOOK, ONE_MIB);
        set(HostFunction.HAS_SECRET, MAX_KEY);
        set(HostFunction.CHECK_CAPSULE_CAPABILITY, 1024);
        set(HostFunction.READ_PROCESS_LOGS_HOST, 256);
        set(HostFunction.KILL_PROCESS_HOST, 256);
    }

    private PayloadLimits() {}

    private static void set(HostFunction fn, int... limits) {
        if (limits.length != fn.paramCount()) {
            throw new IllegalStateException(fn.symbol() + ": " + limits.length + " limits for " + fn.paramCount() + " params");
        }
        LIMITS.put(fn, limits);
    }

    /** The largest block the host accepts as argument {@code index} of a function. */
    public static int maxArgument(HostFunction fn, int index) {
        return LIMITS.get(fn)[index];
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
