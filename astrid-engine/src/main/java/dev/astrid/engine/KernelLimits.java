package dev.astrid.engine;

/**
 * Memory caps of one plugin's kernel.
 *
 * @param maxKernelBytes live bytes of kernel memory blocks (64 MiB by default)
 * @param maxVarBytes bytes of Extism vars, keys included (1 MiB by default)
 */
public record KernelLimits(long maxKernelBytes, long maxVarBytes) {
    /** The defaults. */
    public static final KernelLimits DEFAULT = new KernelLimits(64L * 1024 * 1024, 1024 * 1024);

    /** Checks that the kernel cap is positive and the var cap not negative. */
    public KernelLimits {
        if (maxKernelBytes <= 0 || maxVarBytes < 0) {
            throw new IllegalArgumentException("kernel limits must be positive");
        }
    }
}
