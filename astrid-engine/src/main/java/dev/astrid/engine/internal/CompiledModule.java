package dev.astrid.engine.internal;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import dev.astrid.engine.EngineOptions;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A wasm module parsed and (with the compiler) translated to JVM bytecode once. Instances are
 * made from it as often as needed.
 */
public final class CompiledModule {
    private final String name;
    private final WasmModule module;
    private final Function<Instance, Machine> machineFactory;
    private final Map<String, FunctionType> functionExports;
    private final boolean fromCache;

    private CompiledModule(String name, WasmModule module, Function<Instance, Machine> machineFactory,
            boolean fromCache) {
        this.name = name;
        this.fromCache = fromCache;
        this.module = module;
        this.machineFactory = machineFactory;
        Map<String, FunctionType> exports = new LinkedHashMap<>();
        var section = module.exportSection();
        for (int i = 0; i < section.exportCount(); i++) {
            Export e = section.getExport(i);
            if (e.exportType() == ExternalType.FUNCTION) {
                exports.put(e.name(), functionType(e.index()));
            }
        }
        this.functionExports = Map.copyOf(exports);
    }

    private FunctionType functionType(int funcIndex) {
        int imported = module.importSection().count(ExternalType.FUNCTION);
        if (funcIndex < imported) {
            var imp = (com.dylibso.chicory.wasm.types.FunctionImport) module.importSection().stream()
                    .filter(i -> i.importType() == ExternalType.FUNCTION).skip(funcIndex).findFirst().orElseThrow();
            return module.typeSection().getType(imp.typeIndex());
        }
        return module.functionSection().getFunctionType(funcIndex - imported, module.typeSection());
    }

    /**
     * Parses and compiles a module.
     *
     * @param name how the module is named in messages
     * @throws IllegalArgumentException with a readable reason when the bytes are not a valid module
     */
    public static CompiledModule compile(String name, byte[] wasm, EngineOptions options) {
        ModuleDiskCache cache = options.interpreter() || options.cache() == null ? null
                : ModuleDiskCache.open(options.cache(), wasm).orElse(null);
        // A verified entry is named after these exact bytes and was stored by a compile that
        // parsed and validated them with this Chicory version: validating again only costs time.
        boolean hit = cache != null && cache.preload();
        WasmModule module = parse(name, wasm, !hit);
        Function<Instance, Machine> factory = null;
        if (!options.interpreter()) {
            try {
                factory = machineFactory(name, module, cache);
            } catch (ChicoryException | LinkageError e) {
                if (cache == null || !cache.served()) {
                    throw e;
                }
                // A verified entry Chicory cannot load (written by a bug, not by an attacker
                // without the key): drop it and compile without the cache this time.
                cache.discard();
                module = parse(name, wasm, true);
                factory = machineFactory(name, module, null);
            }
        }
        return new CompiledModule(name, module, factory, cache != null && cache.served());
    }

    private static WasmModule parse(String name, byte[] wasm, boolean validate) {
        try {
            return Parser.builder().withValidation(validate).build().parse(() -> new ByteArrayInputStream(wasm));
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(name + " is not a valid WebAssembly module: " + e.getMessage(), e);
        }
    }

    /**
     * Compiles through the module cache when there is one. Chicory asks the cache first and stores
     * what it compiled; the settings here are part of every entry's name
     * ({@link ModuleDiskCache#COMPILER_SETTINGS}).
     */
    private static Function<Instance, Machine> machineFactory(String name, WasmModule module, ModuleDiskCache cache) {
        var builder = MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.SILENT);
        if (cache != null) {
            builder.withCache(cache);
        }
        try {
            return builder.compile();
        } catch (ChicoryException e) {
            if (cache != null && cache.served()) {
                throw e;
            }
            throw new IllegalArgumentException(name + " could not be compiled: " + e.getMessage(), e);
        }
    }

    /** The module's name in messages. */
    public String name() {
        return name;
    }

    /** Whether the compiled classes came from the module cache instead of the compiler. */
    public boolean fromCache() {
        return fromCache;
    }

    /** The parsed module. */
    public WasmModule module() {
        return module;
    }

    /** The compiled machine factory, or null on the interpreter. */
    Function<Instance, Machine> machineFactory() {
        return machineFactory;
    }

    /** Exported functions and their types. */
    public Map<String, FunctionType> functionExports() {
        return functionExports;
    }

    /** Whether the module exports a function of that name. */
    public boolean exports(String export) {
        return functionExports.containsKey(export);
    }
}
