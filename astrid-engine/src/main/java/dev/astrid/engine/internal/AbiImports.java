package dev.astrid.engine.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.engine.kernel.BlockStore;
import dev.astrid.engine.kernel.ExtismKernel;
import dev.astrid.engine.kernel.KernelTrap;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.SdkProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns catalog functions into Chicory host functions: argument blocks are read from kernel
 * memory (length checked before copying), the family provider runs, and the result goes back
 * into a new block.
 */
public final class AbiImports {
    private static final System.Logger LOG = System.getLogger("astrid.engine");

    private AbiImports() {}

    /** The wasm type the ABI declares for a catalog function. */
    public static FunctionType wasmType(AbiFunction fn) {
        List<ValType> params = new ArrayList<>(Collections.nCopies(fn.paramCount(), ValType.I64));
        return FunctionType.of(params, fn.returnsBytes() ? List.of(ValType.I64) : List.of());
    }

    /**
     * A host function that calls a bound family implementation.
     *
     * @param target an implementation of {@code fn.family().api()}
     * @param kernel the kernel of the plugin the function is linked into
     * @param profile the wire the guest's SDK expects; the family itself always speaks the seed's
     */
    public static HostFunction bound(AbiFunction fn, Object target, ExtismKernel kernel, SdkProfile profile) {
        final int n = fn.paramCount();
        final long[] limits = new long[n];
        for (int i = 0; i < n; i++) {
            limits[i] = PayloadLimits.maxArgument(fn, i);
        }
        fn.family().api().cast(target);
        // Null for every function whose wire under this profile is the seed's: the common path.
        final ProfileWire.Reshape reshape = ProfileWire.forFunction(profile, fn);
        Call call = reshape == null ? a -> fn.invoke(target, a) : a -> reshape.invoke(fn, target, a);
        return linked(fn.symbol(), wasmType(fn), limits, fn.returnsBytes(), call, kernel);
    }

    /** What a linked import runs with its argument blocks read. */
    @FunctionalInterface
    interface Call {
        /** Runs the provider; returns its result ({@code null} for none). */
        byte[] run(byte[][] args);
    }

    /**
     * A host function named {@code symbol} in {@link AbiFunction#IMPORT_MODULE}: reads each argument
     * block (length checked against {@code limits} before copying), runs {@code call}, turns a
     * provider's failure into a trap that starts with the symbol, and puts a result into a new block.
     */
    static HostFunction linked(String symbol, FunctionType type, long[] limits, boolean returns, Call call,
            ExtismKernel kernel) {
        final BlockStore mem = kernel.memory();
        final int n = limits.length;
        // One argument array per linked function: the instance runs one call at a time on one thread,
        // and providers only ever see its elements.
        final byte[][] a = new byte[n][];
        return new HostFunction(AbiFunction.IMPORT_MODULE, symbol, type, (inst, args) -> {
            for (int i = 0; i < n; i++) {
                a[i] = mem.read(args[i], limits[i], symbol);
            }
            byte[] out;
            try {
                out = call.run(a);
            } catch (HostException e) {
                throw new KernelTrap(symbol + ": " + e.getMessage(), e);
            } catch (KernelTrap e) {
                throw e;
            } catch (GuestCallException e) {
                throw new KernelTrap(symbol + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, symbol + " failed inside its provider", e);
                throw new KernelTrap(symbol + ": internal error in the provider: " + e, e);
            } finally {
                java.util.Arrays.fill(a, null);
            }
            return returns ? kernel.result(mem.allocBytes(out, symbol)) : null;
        });
    }

    /** A host function for a catalog function whose family has no provider: it always traps. */
    public static HostFunction unprovided(AbiFunction fn) {
        String message = fn.symbol() + ": no provider installed";
        return new HostFunction(AbiFunction.IMPORT_MODULE, fn.symbol(), wasmType(fn), (inst, args) -> {
            throw new KernelTrap(message);
        });
    }
}
