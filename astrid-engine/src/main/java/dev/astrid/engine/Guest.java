package dev.astrid.engine;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasi.WasiPreview1;
import dev.astrid.engine.internal.AbiImports;
import dev.astrid.engine.internal.ExtensionImports;
import dev.astrid.engine.internal.ProfileWire;
import dev.astrid.engine.internal.Plugin;
import dev.astrid.engine.internal.Wasi;
import dev.astrid.engine.kernel.ExtismKernel;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import dev.astrid.sys.abi.SdkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One live instance of a {@link GuestModule} with its own Extism kernel, running its calls one at a
 * time: on the caller's thread when that is a {@link CallerThreads} thread with a big enough stack,
 * otherwise on the instance's own thread. A call that runs past its timeout is interrupted; after any call
 * that did not return normally the guest's mutable globals are restored, so it stays usable.
 */
public final class Guest implements AutoCloseable {
    private final Plugin plugin;
    private final WasiPreview1 wasi;
    private final SdkProfile profile;

    private Guest(Plugin plugin, WasiPreview1 wasi, SdkProfile profile) {
        this.profile = profile;
        this.plugin = plugin;
        this.wasi = wasi;
    }

    /**
     * Links and instantiates a module, then runs its initializer ({@code _initialize},
     * {@code __wasm_call_ctors} or a command module's {@code _start}).
     *
     * @param initTimeout how long the initializer may run; {@link Duration#ZERO} for no limit
     * @throws GuestCallException if instantiation or the initializer fails or times out
     * @throws IllegalArgumentException if the module imports a function its profile does not have
     */
    public static Guest instantiate(GuestModule module, GuestLinks links, Duration initTimeout) {
        EngineOptions options = module.options();
        ExtismKernel kernel = new ExtismKernel(options.kernel(), links.config(), links.allowedHosts(), links.httpSettings(),
                links.log());
        List<HostFunction> fns = new ArrayList<>(kernel.hostFunctions());
        WasiPreview1 wasi = null;
        if (module.usesWasi()) {
            wasi = Wasi.create(links.wasiOutput());
            Collections.addAll(fns, wasi.toHostFunctions());
        }
        ProfileWire.checkImports(module.name(), links.profile(), module.catalogImports());
        for (AbiFunction fn : module.catalogImports()) {
            Object impl = links.families().get(fn.family());
            fns.add(impl == null ? AbiImports.unprovided(fn) : AbiImports.bound(fn, impl, kernel, links.profile()));
        }
        for (ExtensionFunction fn : module.extensionImports()) {
            fns.add(ExtensionImports.link(fn, links.families().get(fn.family()), kernel));
        }
        try {
            return new Guest(new Plugin(module.compiled(), kernel, fns, options, initTimeout), wasi, links.profile());
        } catch (RuntimeException e) {
            if (wasi != null) {
                wasi.close();
            }
            throw e;
        }
    }

    /**
     * Calls an export and returns its output.
     *
     * @param timeout how long the guest may run once started; {@link Duration#ZERO} for no limit
     * @throws GuestCallException for every way the call can fail
     */
    public byte[] call(String export, byte[] input, Invocation.Caller caller, Duration timeout) {
        return ProfileWire.exportOutput(profile, export, plugin.call(export, input, caller, timeout));
    }

    /** The call running on the current thread (a host function of this guest), or {@link Invocation#NONE}. */
    public Invocation currentInvocation() {
        return plugin.currentInvocation();
    }

    /** Whether a call of this guest is running on the current thread. */
    boolean runsOnCurrentThread() {
        return plugin.runsOn(Thread.currentThread());
    }

    /**
     * Stops the guest: a running call is interrupted and fails as unloaded, queued calls fail, and
     * its thread ends. Idempotent.
     */
    @Override
    public void close() {
        plugin.close();
        if (wasi != null) {
            wasi.close();
        }
    }
}
