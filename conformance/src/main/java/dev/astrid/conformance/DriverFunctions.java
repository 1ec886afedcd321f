package dev.astrid.conformance;

import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * The functions the driver guest can call, by name: the 48 at their catalog index, then the
 * extension functions beyond them at 48 and up, in {@link ExtensionFunction}'s order.
 */
final class DriverFunctions {
    private DriverFunctions() {}

    /** Every function name a case may name, the 48 first. */
    static List<String> symbols() {
        List<String> out = new ArrayList<>();
        for (AbiFunction fn : AbiFunction.values()) {
            out.add(fn.symbol());
        }
        for (ExtensionFunction fn : ExtensionFunction.values()) {
            out.add(fn.symbol());
        }
        return out;
    }

    /** Whether the driver can call a function of this name. */
    static boolean known(String symbol) {
        return AbiFunction.bySymbol(symbol) != null || ExtensionFunction.bySymbol(symbol) != null;
    }

    /** The driver's index of a known function. */
    static int index(String symbol) {
        AbiFunction fn = AbiFunction.bySymbol(symbol);
        return fn != null ? fn.ordinal() : AbiFunction.values().length + ExtensionFunction.bySymbol(symbol).ordinal();
    }

    /** The number of arguments of a known function. */
    static int paramCount(String symbol) {
        AbiFunction fn = AbiFunction.bySymbol(symbol);
        return fn != null ? fn.paramCount() : ExtensionFunction.bySymbol(symbol).paramCount();
    }
}
