package dev.astrid.benchmarks;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.KvFunctions;

/**
 * The KV provider of the benchmark hosts: every capsule gets a {@link FixedValueKv}. The last
 * one bound is kept so the benchmark can read its lookup counter.
 */
public final class FixedValueKvProvider implements FamilyProvider<KvFunctions> {
    private volatile FixedValueKv last;

    @Override
    public String name() {
        return "bench-fixed-value-kv";
    }

    @Override
    public TypedFamily<KvFunctions> typedFamily() {
        return TypedFamily.KV;
    }

    @Override
    public KvFunctions bind(CapsuleContext capsule) {
        FixedValueKv kv = new FixedValueKv();
        last = kv;
        return kv;
    }

    /** The store bound for the most recently loaded capsule. */
    public FixedValueKv lastBound() {
        FixedValueKv kv = last;
        if (kv == null) {
            throw new IllegalStateException("no capsule was bound to " + name());
        }
        return kv;
    }
}
