package dev.astrid.engine;


/**
 * How guests are executed.
 *
 * @param interpreter run on Chicory's interpreter instead of its runtime compiler (much slower,
 *     no class generation)
 * @param maxGuestMemoryBytes cap on the guest's linear memory (64 MiB by default)
 * @param kernel caps on the Extism kernel's memory and vars
 * @param stackBytes stack size of the thread that runs a guest; deep guest recursion uses it
 * @param cache where compiled modules are kept between runs, or null to compile every module each
 *     time (the default; the interpreter never uses it)
 */
public record EngineOptions(boolean interpreter, long maxGuestMemoryBytes, KernelLimits kernel, long stackBytes,
        ModuleCache cache) {
    /** One wasm page. */
    public static final int PAGE = 65536;
    /** The defaults: compiler, 64 MiB guest memory, default kernel limits, 16 MiB stack, no module cache. */
    public static final EngineOptions DEFAULT =
            new EngineOptions(false, 64L * 1024 * 1024, KernelLimits.DEFAULT, 16L * 1024 * 1024, null);

    /**
     * Options without a module cache.
     *
     * @param interpreter run on Chicory's interpreter instead of its runtime compiler
     * @param maxGuestMemoryBytes cap on the guest's linear memory
     * @param kernel caps on the Extism kernel's memory and vars
     * @param stackBytes stack size of the thread that runs a guest
     */
    public EngineOptions(boolean interpreter, long maxGuestMemoryBytes, KernelLimits kernel, long stackBytes) {
        this(interpreter, maxGuestMemoryBytes, kernel, stackBytes, null);
    }

    /** Checks that the guest memory cap holds at least one page. */
    public EngineOptions {
        if (maxGuestMemoryBytes < PAGE) {
            throw new IllegalArgumentException("guest memory cap must be at least one 64 KiB page");
        }
    }

    /** The guest memory cap in pages. */
    public int maxGuestPages() {
        return (int) Math.min(Integer.MAX_VALUE, maxGuestMemoryBytes / PAGE);
    }

    /** These options on the interpreter or the compiler. */
    public EngineOptions withInterpreter(boolean v) {
        return new EngineOptions(v, maxGuestMemoryBytes, kernel, stackBytes, cache);
    }

    /** These options with another guest memory cap. */
    public EngineOptions withMaxGuestMemoryBytes(long v) {
        return new EngineOptions(interpreter, v, kernel, stackBytes, cache);
    }

    /** These options with a module cache, or with none when {@code v} is null. */
    public EngineOptions withCache(ModuleCache v) {
        return new EngineOptions(interpreter, maxGuestMemoryBytes, kernel, stackBytes, v);
    }
}
