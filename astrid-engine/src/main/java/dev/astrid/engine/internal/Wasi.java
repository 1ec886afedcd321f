package dev.astrid.engine.internal;

import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;

/** WASI preview 1 for one guest. */
public final class Wasi {
    private Wasi() {}

    /**
     * A WASI instance whose stdout and stderr go to {@code out} (discarded when null).
     */
    public static WasiPreview1 create(OutputStream out) {
        // random_get is where guests get key material (Rust's getrandom, wasi-libc's arc4random):
        // Chicory's default is ThreadLocalRandom, which is predictable.
        WasiOptions.Builder o = WasiOptions.builder().withRandom(new SecureRandom());
        if (out != null) {
            // WASI closes its streams with the instance; the host's stream (often System.err) must outlive it.
            OutputStream shared = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            };
            o.withStdout(shared).withStderr(shared);
        }
        return WasiPreview1.builder().withOptions(o.build()).build();
    }
}
