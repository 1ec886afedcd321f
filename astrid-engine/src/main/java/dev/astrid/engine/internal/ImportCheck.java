package dev.astrid.engine.internal;

import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.astrid.engine.kernel.ExtismKernel;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a module imports, checked against what this host can link: the Extism kernel, WASI
 * preview 1, the 48 catalog functions and the extension functions beyond them. Everything else is
 * refused in one message.
 *
 * @param catalog the catalog functions the module imports, in import order
 * @param usesWasi whether the module imports WASI preview 1
 * @param extensions the extension functions the module imports, in import order
 */
public record ImportCheck(List<AbiFunction> catalog, boolean usesWasi, List<ExtensionFunction> extensions) {
    /** The WASI preview 1 import module. */
    public static final String WASI = "wasi_snapshot_preview1";

    /**
     * Checks a module's imports.
     *
     * @throws IllegalArgumentException listing every import this host cannot satisfy
     */
    public static ImportCheck of(CompiledModule module) {
        List<String> unknown = new ArrayList<>();
        List<String> badTypes = new ArrayList<>();
        Set<AbiFunction> seen = EnumSet.noneOf(AbiFunction.class);
        List<AbiFunction> catalog = new ArrayList<>();
        Set<ExtensionFunction> extensions = new LinkedHashSet<>();
        boolean wasi = false;
        var imports = module.module().importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imp = imports.getImport(i);
            String where = imp.module() + "." + imp.name();
            if (imp.importType() != ExternalType.FUNCTION) {
                unknown.add(where + " (" + imp.importType().name().toLowerCase(java.util.Locale.ROOT) + ")");
                continue;
            }
            FunctionType type = module.module().typeSection().getType(((FunctionImport) imp).typeIndex());
            switch (imp.module()) {
                case ExtismKernel.MODULE:
                    if (!ExtismKernel.functionNames().contains(imp.name())) {
                        unknown.add(where);
                    }
                    break;
                case WASI:
                    wasi = true;
                    break;
                case AbiFunction.IMPORT_MODULE:
                    AbiFunction fn = AbiFunction.bySymbol(imp.name());
                    ExtensionFunction ext = fn == null ? ExtensionFunction.bySymbol(imp.name()) : null;
                    if (ext != null) {
                        if (!type.equals(ExtensionImports.wasmType(ext))) {
                            badTypes.add(imp.name() + " is imported as " + type + " but the ABI declares "
                                    + ext.wasmSignature());
                        } else {
                            extensions.add(ext);
                        }
                    } else if (fn == null) {
                        unknown.add(where);
                    } else if (!type.equals(AbiImports.wasmType(fn))) {
                        badTypes.add(imp.name() + " is imported as " + type + " but the ABI declares " + fn.wasmSignature());
                    } else if (seen.add(fn)) {
                        catalog.add(fn);
                    }
                    break;
                default:
                    unknown.add(where);
            }
        }
        List<String> problems = new ArrayList<>();
        if (!unknown.isEmpty()) {
            problems.add("imports that are neither the Extism kernel, WASI preview 1 nor an astrid_* host function: "
                    + String.join(", ", unknown));
        }
        if (!badTypes.isEmpty()) {
            problems.add("imports with the wrong type: " + String.join("; ", badTypes));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(module.name() + " cannot be linked: " + String.join("; ", problems));
        }
        return new ImportCheck(List.copyOf(catalog), wasi, List.copyOf(extensions));
    }
}
