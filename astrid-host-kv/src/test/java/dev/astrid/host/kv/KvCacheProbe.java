package dev.astrid.host.kv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link KvCacheAccountingTest}: fills the read cache of a store and
 * prints, after each phase, {@code <phase> <bytes the cache accounts for> <heap it retains>}.
 */
public final class KvCacheProbe {
    private KvCacheProbe() {}

    /** Arguments: the database file. */
    public static void main(String[] args) {
        KvStore store = KvStore.open(Path.of(args[0]), false, new KvStore.Limits(1L << 30, 1_000_000, 32L << 20));
        String ns = "capsule:probe";
        long base = retainedHeap();
        for (int i = 0; i < 200_000; i++) {
            store.get(ns, ("absent-" + i).getBytes(StandardCharsets.UTF_8));
        }
        System.out.println("absent " + store.cachedBytes() + " " + (retainedHeap() - base));
        for (int i = 0; i < 20_000; i++) {
            store.set(ns, ("key-" + i).getBytes(StandardCharsets.UTF_8), new byte[i % 300]);
        }
        System.out.println("values " + store.cachedBytes() + " " + (retainedHeap() - base));
        store.close();
    }

    /** The heap in use after full collections (the serial collector compacts everything live). */
    private static long retainedHeap() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }
}
