package dev.astrid.benchmarks;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.sys.abi.Family;

/**
 * The KV provider of the benchmark hosts: every capsule gets a {@link FixedValueKv}. The last
 * one bound is kept so the benchmark can read its lookup counter.
 */
public final class FixedValueKvProvider implements HostProvider {
    private volatile FixedValueKv last;

    @Override
    public String name() {
        return "bench-fixed-value-kv";
    }

    @Override
    public Family family() {
        return Family.KV;
    }

    @Override
    public Object bind(CapsuleContext capsule) {
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
