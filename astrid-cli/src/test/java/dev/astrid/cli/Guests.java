package dev.astrid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The committed test guests (guests/wasm, copied into the test resources under guests/), as in the reference host's tests. */
final class Guests {
    private Guests() {}

    /** The bytes of a guest by name, e.g. {@code kernel-probe}. */
    static byte[] bytes(String name) {
        try (InputStream in = Objects.requireNonNull(Guests.class.getResourceAsStream("/guests/" + name + ".wasm"),
                "no test guest " + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a guest into a directory and returns its path. */
    static Path copyTo(String name, Path dir) {
        try {
            Path p = dir.resolve(name + ".wasm");
            Files.write(p, bytes(name));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
