package dev.astrid.engine.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.engine.kernel.BlockStore;
import dev.astrid.engine.kernel.ExtismKernel;
import dev.astrid.engine.kernel.KernelTrap;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.HostImport;
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

    /** The wasm type the ABI declares for an import: its handles in, one handle back or none. */
    public static FunctionType wasmType(HostImport fn) {
        return FunctionType.of(new ArrayList<>(Collections.nCopies(fn.paramCount(), ValType.I64)),
                fn.returnsBytes() ? List.of(ValType.I64) : List.of());
    }

    /**
     * A host function that calls a bound family implementation.
     *
     * <p>Everything that can be settled at link time is: the implementation's type, the argument
     * count, each argument's length limit, the profile's reshaping. Per call it reads the argument
     * blocks (each length checked once, before its copy), invokes the provider, and writes the
     * result block, in that order and in {@link Bound#call} only.
     *
     * @param target an implementation of {@code fn.family().api()}
     * @param kernel the kernel of the plugin the function is linked into
     * @param profile the wire the guest's SDK expects; the family itself always speaks the seed's
     * @throws ClassCastException if {@code target} does not implement the family's interface
     */
    public static HostFunction bound(AbiFunction fn, Object target, ExtismKernel kernel, SdkProfile profile) {
        fn.family().api().cast(target);
        int n = fn.paramCount();
        long[] limits = new long[n];
        for (int i = 0; i < n; i++) {
            limits[i] = PayloadLimits.maxArgument(fn, i);
        }
        // Null for every function whose wire under this profile is the seed's: the direct path.
        ProfileWire.Reshape reshape = ProfileWire.forFunction(profile, fn);
        Call reshaped = reshape == null ? null : a -> reshape.invoke(fn, target, a);
        Bound b = new Bound(fn.symbol(), limits, fn.returnsBytes(), fn, target, reshaped, kernel);
        return new HostFunction(AbiFunction.IMPORT_MODULE, fn.symbol(), wasmType(fn), b::call);
    }

    /** What a linked import runs with its argument blocks read. */
    @FunctionalInterface
    interface Call {
        /** Runs the provider; returns its result ({@code null} for none). */
        byte[] run(byte[][] args);
    }

    /**
     * A host function named {@code symbol} in {@link AbiFunction#IMPORT_MODULE} for an import
     * beyond the catalog: reads each argument block (length checked against {@code limits} before
     * copying), runs {@code call}, turns a provider's failure into a trap that starts with the
     * symbol, and puts a result into a new block.
     */
    static HostFunction linked(String symbol, FunctionType type, long[] limits, boolean returns, Call call,
            ExtismKernel kernel) {
        Bound b = new Bound(symbol, limits, returns, null, null, call, kernel);
        return new HostFunction(AbiFunction.IMPORT_MODULE, symbol, type, b::call);
    }

    /** One import linked into one plugin, with what its calls need ready. */
    private static final class Bound {
        private final String symbol;
        private final long[] limits;
        private final boolean returns;
        /** The catalog function, called directly when {@link #indirect} is null. */
        private final AbiFunction fn;
        private final Object target;
        /** A reshaped catalog call or an extension's call; null for the direct catalog path. */
        private final Call indirect;
        private final ExtismKernel kernel;
        private final BlockStore mem;
        /**
         * One argument array per linked function: the instance runs one call at a time, and
         * providers only ever see its elements.
         */
        private final byte[][] a;

        Bound(String symbol, long[] limits, boolean returns, AbiFunction fn, Object target, Call indirect,
                ExtismKernel kernel) {
            this.symbol = symbol;
            this.limits = limits;
            this.returns = returns;
            this.fn = fn;
            this.target = target;
            this.indirect = indirect;
            this.kernel = kernel;
            this.mem = kernel.memory();
            this.a = new byte[limits.length][];
        }

        /** The import: argument blocks in, provider, result block out. */
        long[] call(Instance inst, long... args) {
            byte[][] in = a;
            for (int i = 0; i < in.length; i++) {
                in[i] = mem.read(args[i], limits[i], symbol);
            }
            byte[] out;
            try {
                out = invoke(in);
            } finally {
                // An idle capsule must not pin its last call's arguments.
                for (int i = 0; i < in.length; i++) {
                    in[i] = null;
                }
            }
            return returns ? kernel.result(mem.allocBytes(out, symbol)) : null;
        }

        /** The provider call, its failures turned into traps named after the function. */
        private byte[] invoke(byte[][] in) {
            try {
                return indirect == null ? fn.invoke(target, in) : indirect.run(in);
            } catch (HostException e) {
                throw new KernelTrap(symbol + ": " + e.getMessage(), e);
            } catch (KernelTrap e) {
                throw e;
            } catch (GuestCallException e) {
                throw new KernelTrap(symbol + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, symbol + " failed inside its provider", e);
                throw new KernelTrap(symbol + ": internal error in the provider: " + e, e);
            }
        }
    }

    /** A host function for a catalog function whose family has no provider: it always traps. */
    public static HostFunction unprovided(AbiFunction fn) {
        String message = fn.symbol() + ": no provider installed";
        return new HostFunction(AbiFunction.IMPORT_MODULE, fn.symbol(), wasmType(fn), (inst, args) -> {
            throw new KernelTrap(message);
        });
    }
}
