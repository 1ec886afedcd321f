package dev.astrid.host.spi.manifest;

import java.util.List;

/**
 * The {@code [capabilities]} table of a manifest. Every list is empty and every flag false unless
 * the manifest says otherwise; an empty list denies everything it governs.
 *
 * @param uplink whether the capsule is an uplink (loads first, no call timeout)
 * @param net hosts the capsule may reach over HTTP
 * @param netBind Unix socket paths the capsule may bind
 * @param fsRead path patterns the capsule may read
 * @param fsWrite path patterns the capsule may write
 * @param hostProcess commands the capsule may run on the host
 * @param ipcPublish topic patterns the capsule may publish on
 * @param ipcSubscribe topic patterns the capsule may subscribe to
 * @param identity identity levels: {@code resolve}, {@code link} or {@code admin}
 * @param allowPromptInjection the manifest flag of that name
 * @param triggerHook hook names the capsule may run on other capsules with {@code astrid_trigger_hook}
 *     (manifest key {@code trigger_hook}), matched like topics (same segment count, {@code *} for one segment)
 */
public record Capabilities(
        boolean uplink,
        List<String> net,
        List<String> netBind,
        List<String> fsRead,
        List<String> fsWrite,
        List<String> hostProcess,
        List<String> ipcPublish,
        List<String> ipcSubscribe,
        List<String> identity,
        boolean allowPromptInjection,
        List<String> triggerHook) {

    /** No capability at all. */
    public static final Capabilities NONE = builder().build();

    /** Copies every pattern list into an immutable list. */
    public Capabilities {
        net = List.copyOf(net);
        netBind = List.copyOf(netBind);
        fsRead = List.copyOf(fsRead);
        fsWrite = List.copyOf(fsWrite);
        hostProcess = List.copyOf(hostProcess);
        ipcPublish = List.copyOf(ipcPublish);
        ipcSubscribe = List.copyOf(ipcSubscribe);
        identity = List.copyOf(identity);
        triggerHook = List.copyOf(triggerHook);
    }

    /** A builder starting from no capabilities. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Capabilities} one field at a time. */
    public static final class Builder {
        private boolean uplink;
        private List<String> net = List.of();
        private List<String> netBind = List.of();
        private List<String> fsRead = List.of();
        private List<String> fsWrite = List.of();
        private List<String> hostProcess = List.of();
        private List<String> ipcPublish = List.of();
        private List<String> ipcSubscribe = List.of();
        private List<String> identity = List.of();
        private boolean allowPromptInjection;
        private List<String> triggerHook = List.of();

        private Builder() {}

        /** Sets {@code uplink}. */
        public Builder uplink(boolean v) { this.uplink = v; return this; }
        /** Sets {@code net}. */
        public Builder net(String... v) { this.net = List.of(v); return this; }
        /** Sets {@code net_bind}. */
        public Builder netBind(String... v) { this.netBind = List.of(v); return this; }
        /** Sets {@code fs_read}. */
        public Builder fsRead(String... v) { this.fsRead = List.of(v); return this; }
        /** Sets {@code fs_write}. */
        public Builder fsWrite(String... v) { this.fsWrite = List.of(v); return this; }
        /** Sets {@code host_process}. */
        public Builder hostProcess(String... v) { this.hostProcess = List.of(v); return this; }
        /** Sets {@code ipc_publish}. */
        public Builder ipcPublish(String... v) { this.ipcPublish = List.of(v); return this; }
        /** Sets {@code ipc_subscribe}. */
        public Builder ipcSubscribe(String... v) { this.ipcSubscribe = List.of(v); return this; }
        /** Sets {@code identity}. */
        public Builder identity(String... v) { this.identity = List.of(v); return this; }
        /** Sets {@code allow_prompt_injection}. */
        public Builder allowPromptInjection(boolean v) { this.allowPromptInjection = v; return this; }
        /** Sets {@code trigger_hook}. */
        public Builder triggerHook(String... v) { this.triggerHook = List.of(v); return this; }

        /** The capabilities built so far. */
        public Capabilities build() {
            return new Capabilities(uplink, net, netBind, fsRead, fsWrite, hostProcess, ipcPublish, ipcSubscribe,
                    identity, allowPromptInjection, triggerHook);
        }
    }
}
