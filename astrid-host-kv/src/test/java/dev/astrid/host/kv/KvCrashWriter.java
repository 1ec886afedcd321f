package dev.astrid.host.kv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link KvCrashTest}: writes keys forever and prints {@code ack N}
 * after each write returns, until it is killed.
 */
public final class KvCrashWriter {
    private KvCrashWriter() {}

    /** Arguments: the database file. */
    public static void main(String[] args) {
        KvStore store = KvStore.open(Path.of(args[0]), false);
        byte[] value = new byte[100];
        for (long i = 0; ; i++) {
            store.set("capsule:crash", ("key-" + i).getBytes(StandardCharsets.UTF_8), value);
            System.out.println("ack " + i);
            System.out.flush();
        }
    }
}
