package dev.astrid.cli;

import dev.astrid.host.spi.Invocation;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.sys.abi.AbiFunction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls any catalog function through the real {@code abi-driver} guest, as the reference host's
 * tests do: the arguments travel through kernel memory and the linker exactly as a capsule's would.
 */
final class AbiDriver {
    private final LoadedCapsule capsule;

    AbiDriver(LoadedCapsule capsule) {
        this.capsule = capsule;
    }

    /** Calls a function with byte arguments; returns its result (empty for a void function). */
    byte[] call(AbiFunction fn, byte[]... args) {
        if (args.length != fn.paramCount()) {
            throw new IllegalArgumentException(fn.symbol() + " takes " + fn.paramCount() + " arguments");
        }
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
        return capsule.call("invoke", in.toByteArray(), Invocation.Caller.NONE, Duration.ofSeconds(30));
    }

    /** Calls a function with UTF-8 string arguments; returns the result as a string. */
    String text(AbiFunction fn, String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return new String(call(fn, bytes), StandardCharsets.UTF_8);
    }
}
