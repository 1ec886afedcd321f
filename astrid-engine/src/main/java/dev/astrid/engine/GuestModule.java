package dev.astrid.engine;

import dev.astrid.engine.internal.CompiledModule;
import dev.astrid.engine.internal.ImportCheck;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import java.util.List;
import java.util.Set;

/**
 * A guest module parsed, checked and (with the compiler) translated to JVM bytecode once; guests
 * are instantiated from it with {@link Guest#instantiate}.
 */
public final class GuestModule {
    private final CompiledModule compiled;
    private final ImportCheck imports;
    private final EngineOptions options;

    private GuestModule(CompiledModule compiled, ImportCheck imports, EngineOptions options) {
        this.compiled = compiled;
        this.imports = imports;
        this.options = options;
    }

    /**
     * Parses, compiles and checks a module's imports: only the Extism kernel, WASI preview 1, the
     * catalog's {@code astrid_*} functions and the extension functions (with the declared types)
     * can be linked.
     *
     * @param name how the module is named in messages and in its thread's name
     * @throws IllegalArgumentException with a readable reason when the bytes are not a valid module
     *     or import something this engine cannot link
     */
    public static GuestModule compile(String name, byte[] wasm, EngineOptions options) {
        CompiledModule m = CompiledModule.compile(name, wasm, options);
        return new GuestModule(m, ImportCheck.of(m), options);
    }

    /** The module's name in messages. */
    public String name() {
        return compiled.name();
    }

    /** The names of the exported functions. */
    public Set<String> exports() {
        return compiled.functionExports().keySet();
    }

    /** Whether the module exports a function of that name. */
    public boolean exports(String export) {
        return compiled.exports(export);
    }

    /** The catalog functions the module imports, in import order, each once. */
    public List<AbiFunction> catalogImports() {
        return imports.catalog();
    }

    /** The extension functions (beyond the 48) the module imports, in import order, each once. */
    public List<ExtensionFunction> extensionImports() {
        return imports.extensions();
    }

    /** Whether the module imports WASI preview 1. */
    public boolean usesWasi() {
        return imports.usesWasi();
    }

    /**
     * Whether its compiled classes were loaded from the module cache ({@link EngineOptions#cache()})
     * rather than made by the compiler in this call.
     */
    public boolean fromCache() {
        return compiled.fromCache();
    }

    /** The options it was compiled with; its guests run with them. */
    public EngineOptions options() {
        return options;
    }

    CompiledModule compiled() {
        return compiled;
    }
}
