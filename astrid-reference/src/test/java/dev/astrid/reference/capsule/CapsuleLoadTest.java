package dev.astrid.reference.capsule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.host.kv.SealedSecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading capsule directories: component hashes, configuration, install markers. */
class CapsuleLoadTest {
    @TempDir
    Path dir;

    private Path capsule(String name, String extraToml) throws Exception {
        Path c = Files.createDirectories(dir.resolve(name));
        Guests.copyTo("kernel-probe", c);
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\n"
                + "[[component]]\nfile = \"kernel-probe.wasm\"\n" + extraToml);
        return c;
    }


    @Test
    void aMatchingHashLoadsAndAMismatchIsRefused() throws Exception {
        byte[] wasm = Guests.bytes("kernel-probe");
        Path good = Files.createDirectories(dir.resolve("good"));
        Guests.copyTo("kernel-probe", good);
        Files.writeString(good.resolve("Capsule.toml"), "[package]\nname = \"good\"\nversion = \"0.1.0\"\n"
                + "[[component]]\nfile = \"kernel-probe.wasm\"\nhash = \"blake3:" + ComponentHash.blake3(wasm) + "\"\n");
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Guests.copyTo("kernel-probe", bad);
        Files.writeString(bad.resolve("Capsule.toml"), "[package]\nname = \"bad\"\nversion = \"0.1.0\"\n"
                + "[[component]]\nfile = \"kernel-probe.wasm\"\nhash = \"sha256:" + "0".repeat(64) + "\"\n");
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThat(h.load(good).id()).isEqualTo("good");
            assertThatThrownBy(() -> h.load(bad)).isInstanceOf(ManifestException.class)
                    .hasMessageContaining("hash mismatch")
                    .hasMessageContaining("sha256:" + ComponentHash.sha256(wasm));
            assertThat(h.capsules()).extracting(LoadedCapsule::id).containsExactly("good");
        }
    }

    @Test
    void hashesInEveryAcceptedForm() {
        byte[] data = "abc".getBytes();
        String sha = ComponentHash.sha256(data);
        assertThat(sha).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ComponentHash.blake3(data)).isEqualTo("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
        ComponentHash.verify(data, sha, "t");
        ComponentHash.verify(data, "SHA256:" + sha.toUpperCase(), "t");
        ComponentHash.verify(data, "blake3:" + ComponentHash.blake3(data), "t");
        assertThatThrownBy(() -> ComponentHash.verify(data, "md5:" + sha, "t")).hasMessageContaining("unknown hash algorithm 'md5'");
        assertThatThrownBy(() -> ComponentHash.verify(data, "1234", "t")).hasMessageContaining("must be 64 hex digits");
    }

    @Test
    void aComponentOutsideTheCapsuleDirectoryIsRefused() throws Exception {
        Path c = Files.createDirectories(dir.resolve("escape"));
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"escape\"\nversion = \"0.1.0\"\n[[component]]\nfile = \"../x.wasm\"\n");
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThatThrownBy(() -> h.load(c)).hasMessageContaining("lies outside the capsule directory");
        }
    }

    @Test
    void configurationComesFromDefaultsKvAndTheCommandLine() throws Exception {
        Path c = capsule("cfg", "[env.A]\ntype = \"text\"\ndefault = \"from-default\"\n"
                + "[env.B]\ntype = \"text\"\ndefault = \"unused\"\n[env.N]\ntype = \"number\"\ndefault = 42\n");
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).config("B", "from-cli").build())) {
            LoadedCapsule cap = h.load(c);
            assertThat(cap.call("config", "A".getBytes())).asString().isEqualTo("from-default");
            assertThat(cap.call("config", "B".getBytes())).asString().isEqualTo("from-cli");
            assertThat(cap.call("config", "N".getBytes())).asString().isEqualTo("42");
        }
    }

    @Test
    void aRequiredValueThatIsMissingFailsTheLoadAndSaysHowToSupplyIt() throws Exception {
        Path c = capsule("needy", "[env.API_URL]\ntype = \"text\"\nrequest = \"The API's base URL\"\n"
                + "[env.TOKEN]\ntype = \"secret\"\n");
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThatThrownBy(() -> h.load(c)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("API_URL (The API's base URL)")
                    .hasMessageContaining("HostConfig.Builder.config(KEY, VALUE)")
                    .hasMessageContaining("TOKEN (a secret not in the secret store of needy)");
            assertThat(h.capsules()).isEmpty();
        }
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            s.put("capsule:needy", "TOKEN", "t".getBytes());
        }
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).config("API_URL", "https://api").build())) {
            LoadedCapsule cap = h.load(c);
            assertThat(cap.call("config", "API_URL".getBytes())).asString().isEqualTo("https://api");
            assertThat(cap.call("config", "TOKEN".getBytes())).as("secrets never reach the config").isEmpty();
        }
    }

    @Test
    void installRunsOnceAndUpgradeRunsWhenTheVersionChanges() throws Exception {
        Path c = capsule("plain", "");
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule cap = h.load(c);
            assertThat(h.installIfNeeded(cap)).as("no astrid_install export").isEmpty();
            assertThat(JsonParser.parseString(Files.readString(dir.resolve("data/capsules/plain/install.json")))
                    .getAsJsonObject().get("installed_version").getAsString()).isEqualTo("0.1.0");
        }
    }
}
