package dev.astrid.host.kv;

import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.tck.SecretStoreContract;
import java.nio.file.Path;
import java.util.Map;

class SealedSecretStoreCompatibilityTest extends SecretStoreContract {
    @Override
    protected SecretStore open(Path dir) {
        return new SealedSecretStoreFactory().open(dir.resolve("data"),
                ProviderSettings.of(Map.of("secrets.key-file", dir.resolve("secrets.key").toString())));
    }
}
