package dev.astrid.cli;

import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.reference.capsule.ManifestReader;
import dev.astrid.reference.capsule.StateNamespace;
import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.host.kv.SealedSecretStoreFactory;
import dev.astrid.host.spi.services.SecretStore;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code astrid secret}: manages capsule secrets. */
@Command(name = "secret", description = "Manage capsule secrets.", subcommands = SecretCommand.Set.class)
final class SecretCommand implements Runnable {
    @ParentCommand
    AstridCli cli;

    @Override
    public void run() {
        cli.spec.commandLine().getSubcommands().get("secret").usage(cli.stdout);
    }

    /** {@code astrid secret set <capsule> <key>}: reads the value from stdin, without echo on a terminal. */
    @Command(name = "set", description = "Set a capsule secret; the value is read from stdin (not echoed on a terminal).")
    static final class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CAPSULE", description = "The capsule id, its directory, or a bare .wasm module.")
        String capsule;

        @Parameters(index = "1", paramLabel = "KEY", description = "The secret's key.")
        String key;

        @Mixin
        HostOptions host;

        @ParentCommand
        SecretCommand parent;

        @Override
        public Integer call() throws IOException {
            String invalid = SecretStore.invalidKey(key);
            if (invalid != null) {
                throw new IllegalArgumentException(invalid);
            }
            String ns = namespace(capsule);
            byte[] value = readValue();
            if (value.length == 0) {
                throw new IllegalArgumentException("the secret value is empty; nothing was stored");
            }
            try (SealedSecretStore store = SealedSecretStoreFactory.openStore(host.dataDir.toAbsolutePath(), ProviderSettings.of(host.settings))) {
                store.put(ns, key, value);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
            parent.cli.stdout.println("astrid: secret " + key + " of " + capsule + " is set");
            return 0;
        }

        private byte[] readValue() throws IOException {
            Console console = System.console();
            if (console != null) {
                char[] chars = console.readPassword("value for %s: ", key);
                if (chars == null) {
                    return new byte[0];
                }
                byte[] b = new String(chars).getBytes(StandardCharsets.UTF_8);
                Arrays.fill(chars, '\0');
                return b;
            }
            InputStream in = System.in;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            byte[] b = out.toByteArray();
            int n = b.length;
            if (n > 0 && b[n - 1] == '\n') {
                n--;
                if (n > 0 && b[n - 1] == '\r') {
                    n--;
                }
            }
            return Arrays.copyOf(b, n);
        }

        /** The state namespace the secret belongs to: a capsule's by id or directory, a bare module's by its bytes. */
        static String namespace(String target) {
            Path p = Path.of(target);
            if (Files.isDirectory(p) && Files.exists(p.resolve(ManifestReader.FILE_NAME))) {
                return StateNamespace.capsule(new ManifestReader().read(p).name());
            }
            if (target.endsWith(".wasm") && Files.isRegularFile(p)) {
                try {
                    return StateNamespace.module(Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
                }
            }
            if (!target.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("'" + target + "' is neither a capsule id, a capsule directory nor a .wasm module");
            }
            return StateNamespace.capsule(target);
        }
    }
}
