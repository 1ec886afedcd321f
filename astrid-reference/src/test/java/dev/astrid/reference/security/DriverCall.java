package dev.astrid.reference.security;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.sys.abi.AbiFunction;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls catalog functions through the real {@code abi-driver} guest (the same input format as
 * {@code AbiDriver}), each under a call timeout, on a caller thread of its own: a call that does
 * not come back within its timeout plus a grace period is reported as hung instead of hanging the
 * test run.
 */
final class DriverCall implements AutoCloseable {
    /** How one call ended: output, a guest call failure, or no answer at all. */
    record Outcome(byte[] output, GuestCallException failure, Throwable unexpected, boolean hung, long millis) {
        boolean ok() {
            return output != null;
        }
    }

    private final ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-caller");
        t.setDaemon(true);
        return t;
    });

    /** The abi-driver's input: function index, argument count, then each argument as u32 length + bytes. */
    static byte[] input(AbiFunction fn, byte[][] args) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(fn.ordinal());
        in.write(args.length);
        for (byte[] a : args) {
            int n = a.length;
            in.write(n);
            in.write(n >>> 8);
            in.write(n >>> 16);
            in.write(n >>> 24);
            in.writeBytes(a);
        }
        return in.toByteArray();
    }

    /** Calls {@code fn} in {@code capsule}; waits at most {@code timeout + grace} for the answer. */
    Outcome call(LoadedCapsule capsule, AbiFunction fn, byte[][] args, Duration timeout, Duration grace) {
        byte[] in = input(fn, args);
        long start = System.nanoTime();
        Future<byte[]> f = caller.submit(() -> capsule.call("invoke", in, Invocation.Caller.NONE, timeout));
        try {
            byte[] out = f.get(timeout.plus(grace).toNanos(), TimeUnit.NANOSECONDS);
            return new Outcome(out, null, null, false, millisSince(start));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GuestCallException) {
                return new Outcome(null, (GuestCallException) cause, null, false, millisSince(start));
            }
            return new Outcome(null, null, cause, false, millisSince(start));
        } catch (TimeoutException e) {
            return new Outcome(null, null, null, true, millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + fn.symbol(), e);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() {
        caller.shutdownNow();
    }
}
