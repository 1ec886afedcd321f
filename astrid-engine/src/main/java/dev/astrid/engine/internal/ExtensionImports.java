package dev.astrid.engine.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.astrid.engine.kernel.ExtismKernel;
import dev.astrid.engine.kernel.KernelTrap;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;

/**
 * Links the extension imports ({@link ExtensionFunction}, beyond the 48) a module uses: to its
 * family's implementation when that also implements the extension's interface, else to a trap
 * "no provider installed". Blocks, limits and traps go the way of {@link AbiImports}.
 */
public final class ExtensionImports {
    private ExtensionImports() {}

    /** The wasm type an extension function has. */
    public static FunctionType wasmType(ExtensionFunction fn) {
        return AbiImports.wasmType(fn);
    }

    /**
     * The host function of an extension.
     *
     * @param family the implementation bound for the extension's family, or null when none is
     */
    public static HostFunction link(ExtensionFunction fn, Object family, ExtismKernel kernel) {
        if (!fn.api().isInstance(family)) {
            String message = fn.symbol() + ": no provider installed";
            return new HostFunction(AbiFunction.IMPORT_MODULE, fn.symbol(), wasmType(fn), (inst, args) -> {
                throw new KernelTrap(message);
            });
        }
        long[] limits = new long[fn.paramCount()];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = PayloadLimits.maxArgument(fn, i);
        }
        return AbiImports.linked(fn.symbol(), wasmType(fn), limits, fn.returnsBytes(), a -> fn.invoke(family, a), kernel);
    }
}
