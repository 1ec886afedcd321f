/**
 * The small system families of the Astrid host: clock, config and caller, log, hooks and
 * capability checks. Each provider sees only its capsule's context; none knows another family.
 */
module dev.astrid.host.system {
    requires dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    requires com.google.gson;

    provides dev.astrid.host.spi.HostProvider with
            dev.astrid.host.system.ClockProvider,
            dev.astrid.host.system.ConfigProvider,
            dev.astrid.host.system.LogProvider,
            dev.astrid.host.system.HookProvider,
            dev.astrid.host.system.CapabilityProvider;
}
