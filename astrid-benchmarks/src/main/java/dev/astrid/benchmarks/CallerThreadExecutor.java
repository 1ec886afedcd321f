package dev.astrid.benchmarks;

import dev.astrid.engine.CallerThreads;
import dev.astrid.engine.EngineOptions;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker threads as a host would make them: threads from {@link CallerThreads#factory} with
 * the engine's default stack, on which a guest call runs directly instead of being handed to the
 * guest's own thread. Selected with {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=dev.astrid.benchmarks.CallerThreadExecutor} (the benchmarks that call
 * guests set it in their {@code @Fork}); {@code -jvmArgsAppend -Djmh.executor=PLATFORM} on the
 * command line measures calls from ordinary threads instead.
 */
public final class CallerThreadExecutor extends ThreadPoolExecutor {
    /**
     * The executor JMH asks for.
     *
     * @param maxThreads how many workers the benchmark runs
     * @param prefix the workers' name prefix
     */
    public CallerThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                CallerThreads.factory(prefix, EngineOptions.DEFAULT.stackBytes()));
    }
}
