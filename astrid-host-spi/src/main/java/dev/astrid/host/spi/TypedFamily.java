package dev.astrid.host.spi;

import dev.astrid.sys.abi.ApprovalFunctions;
import dev.astrid.sys.abi.CapabilityFunctions;
import dev.astrid.sys.abi.ClockFunctions;
import dev.astrid.sys.abi.ConfigFunctions;
import dev.astrid.sys.abi.CronFunctions;
import dev.astrid.sys.abi.ElicitFunctions;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.FsFunctions;
import dev.astrid.sys.abi.HookFunctions;
import dev.astrid.sys.abi.HttpFunctions;
import dev.astrid.sys.abi.IdentityFunctions;
import dev.astrid.sys.abi.IpcFunctions;
import dev.astrid.sys.abi.KvFunctions;
import dev.astrid.sys.abi.LogFunctions;
import dev.astrid.sys.abi.NetFunctions;
import dev.astrid.sys.abi.ProcessFunctions;
import dev.astrid.sys.abi.SecretFunctions;
import java.util.List;

/**
 * A {@link Family} with its interface as a type parameter. A {@link FamilyProvider} names its
 * family with one of these constants, so the compiler checks that it binds the interface of the
 * family it claims: a provider of {@code TypedFamily<ClockFunctions>} cannot name {@link #KV} nor
 * return a {@code KvFunctions}.
 *
 * @param <T> the family's interface, {@link Family#api()}
 */
public final class TypedFamily<T> {
    /** {@link Family#FS}, served by a {@link FsFunctions}. */
    public static final TypedFamily<FsFunctions> FS = new TypedFamily<>(Family.FS, FsFunctions.class);
    /** {@link Family#IPC}, served by a {@link IpcFunctions}. */
    public static final TypedFamily<IpcFunctions> IPC = new TypedFamily<>(Family.IPC, IpcFunctions.class);
    /** {@link Family#KV}, served by a {@link KvFunctions}. */
    public static final TypedFamily<KvFunctions> KV = new TypedFamily<>(Family.KV, KvFunctions.class);
    /** {@link Family#CONFIG}, served by a {@link ConfigFunctions}. */
    public static final TypedFamily<ConfigFunctions> CONFIG = new TypedFamily<>(Family.CONFIG, ConfigFunctions.class);
    /** {@link Family#NET}, served by a {@link NetFunctions}. */
    public static final TypedFamily<NetFunctions> NET = new TypedFamily<>(Family.NET, NetFunctions.class);
    /** {@link Family#HTTP}, served by a {@link HttpFunctions}. */
    public static final TypedFamily<HttpFunctions> HTTP = new TypedFamily<>(Family.HTTP, HttpFunctions.class);
    /** {@link Family#LOG}, served by a {@link LogFunctions}. */
    public static final TypedFamily<LogFunctions> LOG = new TypedFamily<>(Family.LOG, LogFunctions.class);
    /** {@link Family#CRON}, served by a {@link CronFunctions}. */
    public static final TypedFamily<CronFunctions> CRON = new TypedFamily<>(Family.CRON, CronFunctions.class);
    /** {@link Family#HOOKS}, served by a {@link HookFunctions}. */
    public static final TypedFamily<HookFunctions> HOOKS = new TypedFamily<>(Family.HOOKS, HookFunctions.class);
    /** {@link Family#CLOCK}, served by a {@link ClockFunctions}. */
    public static final TypedFamily<ClockFunctions> CLOCK = new TypedFamily<>(Family.CLOCK, ClockFunctions.class);
    /** {@link Family#ELICIT}, served by a {@link ElicitFunctions}. */
    public static final TypedFamily<ElicitFunctions> ELICIT = new TypedFamily<>(Family.ELICIT, ElicitFunctions.class);
    /** {@link Family#SECRETS}, served by a {@link SecretFunctions}. */
    public static final TypedFamily<SecretFunctions> SECRETS = new TypedFamily<>(Family.SECRETS, SecretFunctions.class);
    /** {@link Family#APPROVAL}, served by a {@link ApprovalFunctions}. */
    public static final TypedFamily<ApprovalFunctions> APPROVAL = new TypedFamily<>(Family.APPROVAL, ApprovalFunctions.class);
    /** {@link Family#PROCESS}, served by a {@link ProcessFunctions}. */
    public static final TypedFamily<ProcessFunctions> PROCESS = new TypedFamily<>(Family.PROCESS, ProcessFunctions.class);
    /** {@link Family#IDENTITY}, served by a {@link IdentityFunctions}. */
    public static final TypedFamily<IdentityFunctions> IDENTITY = new TypedFamily<>(Family.IDENTITY, IdentityFunctions.class);
    /** {@link Family#CAPABILITY}, served by a {@link CapabilityFunctions}. */
    public static final TypedFamily<CapabilityFunctions> CAPABILITY = new TypedFamily<>(Family.CAPABILITY, CapabilityFunctions.class);

    private static final List<TypedFamily<?>> ALL = List.of(FS, IPC, KV, CONFIG, NET, HTTP, LOG, CRON, HOOKS, CLOCK, ELICIT, SECRETS, APPROVAL, PROCESS, IDENTITY, CAPABILITY);

    private final Family family;
    private final Class<T> api;

    private TypedFamily(Family family, Class<T> api) {
        if (family.api() != api) {
            throw new IllegalArgumentException(family.id() + " is served by " + family.api().getName() + ", not " + api.getName());
        }
        this.family = family;
        this.api = api;
    }

    /** Every family, in the order of {@link Family#values()}. */
    public static List<TypedFamily<?>> values() {
        return ALL;
    }

    /** The family. */
    public Family family() {
        return family;
    }

    /** The family's interface. */
    public Class<T> api() {
        return api;
    }

    @Override
    public String toString() {
        return family.id();
    }
}
