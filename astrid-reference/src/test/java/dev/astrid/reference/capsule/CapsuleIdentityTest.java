package dev.astrid.reference.capsule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capsule's state belongs to an identity the module cannot choose: a bare module gets a
 * namespace of its own, whatever its file is called, and a capsule name stays bound to the
 * component it was installed with.
 */
class CapsuleIdentityTest {
    @TempDir
    Path dir;

    private Path capsule(String name, String version, String guest) throws Exception {
        Path c = Files.createDirectories(dir.resolve("src").resolve(name));
        Files.write(c.resolve("component.wasm"), Guests.bytes(guest));
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n"
                + "[[component]]\nfile = \"component.wasm\"\n");
        return c;
    }

    @Test
    void aBareModuleNamedLikeACapsuleSeesNoneOfItsState() throws Exception {
        Path named = capsule("drvfull", "1.0.0", "abi-driver");
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(host.load(named));
            d.call(AbiFunction.KV_SET, "plan".getBytes(), "the capsule's".getBytes());
        }
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            s.put("capsule:drvfull", "api_key", "s3cret".getBytes());
        }
        Path bare = Files.createDirectories(dir.resolve("elsewhere")).resolve("drvfull.wasm");
        Files.write(bare, Guests.bytes("abi-driver"));
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule module = host.load(bare);
            assertThat(module.id()).as("the display id stays the file name").isEqualTo("drvfull");
            assertThat(module.stateNamespace()).isEqualTo("module:" + ComponentHash.sha256(Guests.bytes("abi-driver")));
            AbiDriver d = new AbiDriver(module);
            assertThat(d.call(AbiFunction.KV_GET, "plan".getBytes())).isEmpty();
            assertThat(d.text(AbiFunction.KV_LIST_KEYS, "")).isEqualTo("[]");
            assertThat(d.text(AbiFunction.HAS_SECRET, "{\"key\":\"api_key\"}")).isEqualTo("{\"exists\":false}");
            assertThat(d.text(AbiFunction.KV_CLEAR_PREFIX, "")).isEqualTo("0");
            d.call(AbiFunction.KV_SET, "mine".getBytes(), "the module's".getBytes());
            module.unload();
            AbiDriver again = new AbiDriver(host.load(bare));
            assertThat(again.text(AbiFunction.KV_GET, "mine")).as("the module keeps its own state").isEqualTo("the module's");
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(host.load(named));
            assertThat(d.text(AbiFunction.KV_GET, "plan")).isEqualTo("the capsule's");
            assertThat(d.text(AbiFunction.KV_LIST_KEYS, "")).isEqualTo("[\"plan\"]");
            assertThat(d.text(AbiFunction.HAS_SECRET, "{\"key\":\"api_key\"}")).isEqualTo("{\"exists\":true}");
        }
    }

    @Test
    void theSameNameAndVersionWithAnotherComponentIsRefusedAndANewVersionIsAnUpgrade() throws Exception {
        Path c = capsule("pinned", "0.1.0", "kernel-probe");
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            host.installIfNeeded(host.load(c));
        }
        Files.write(c.resolve("component.wasm"), Guests.bytes("abi-driver"));
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThatThrownBy(() -> host.load(c)).isInstanceOf(ManifestException.class)
                    .hasMessageContaining("capsule pinned 0.1.0 was installed with component sha256:"
                            + ComponentHash.sha256(Guests.bytes("kernel-probe")))
                    .hasMessageContaining("this component has sha256:" + ComponentHash.sha256(Guests.bytes("abi-driver")))
                    .hasMessageContaining("needs a new version");
            assertThat(host.capsules()).isEmpty();
        }
        Files.writeString(c.resolve("Capsule.toml"), Files.readString(c.resolve("Capsule.toml")).replace("0.1.0", "0.2.0"));
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule up = host.load(c);
            assertThat(record("pinned").get("version").getAsString()).isEqualTo("0.2.0");
            assertThat(record("pinned").get("installed_version").getAsString()).as("before the upgrade ran").isEqualTo("0.1.0");
            host.installIfNeeded(up);
            assertThat(record("pinned").get("installed_version").getAsString()).isEqualTo("0.2.0");
            assertThat(record("pinned").get("sha256").getAsString()).isEqualTo(ComponentHash.sha256(Guests.bytes("abi-driver")));
        }
    }

    @Test
    void anEarlierInstalledVersionMarkerIsFoldedIntoTheRecord() throws Exception {
        Path c = capsule("legacy", "0.3.0", "kernel-probe");
        Path data = Files.createDirectories(dir.resolve("data/capsules/legacy"));
        Files.writeString(data.resolve("installed-version"), "0.3.0\n");
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule cap = host.load(c);
            assertThat(host.installIfNeeded(cap)).isEmpty();
        }
        assertThat(data.resolve("installed-version")).doesNotExist();
        JsonObject r = record("legacy");
        assertThat(r.get("installed_version").getAsString()).isEqualTo("0.3.0");
        assertThat(r.get("name").getAsString()).isEqualTo("legacy");
        assertThat(r.get("sha256").getAsString()).isEqualTo(ComponentHash.sha256(Guests.bytes("kernel-probe")));
    }

    private JsonObject record(String name) throws Exception {
        return JsonParser.parseString(Files.readString(dir.resolve("data/capsules").resolve(name).resolve("install.json")))
                .getAsJsonObject();
    }
}
