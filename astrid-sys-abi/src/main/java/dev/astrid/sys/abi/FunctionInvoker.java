package dev.astrid.sys.abi;

/**
 * Calls one catalog function on a family implementation.
 *
 * <p>The catalog carries one invoker per function, so a host can dispatch a guest import to the
 * bound provider without reflection.
 *
 * @param <T> the family interface
 */
@FunctionalInterface
public interface FunctionInvoker<T> {
    /**
     * Invokes the function.
     *
     * @param target the family implementation bound for the calling capsule
     * @param args one byte array per declared parameter, never null
     * @return the result bytes, or {@code null} for a function that returns nothing
     */
    byte[] invoke(T target, byte[][] args);
}
