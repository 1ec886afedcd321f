package dev.astrid.reference.capsule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.sys.abi.SdkProfile;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {
    private final ManifestReader reader = new ManifestReader();

    private CapsuleManifest parse(String toml) {
        return reader.parse(toml, "Capsule.toml");
    }

    @Test
    void readsEverySectionTheHostUses() {
        CapsuleManifest m = parse(String.join("\n",
                "[package]", "name = \"demo-1\"", "version = \"1.2.3-beta.1\"", "description = \"d\"", "homepage = \"ignored\"",
                "[[component]]", "id = \"main\"", "file = \"demo.wasm\"", "hash = \"sha256:" + "ab".repeat(32) + "\"",
                "[capabilities]", "uplink = true", "net = [\"example.com\"]", "fs_read = [\"*\"]", "fs_write = [\"workspace://out\"]",
                "ipc_publish = [\"demo.*\"]", "ipc_subscribe = [\"demo.in\"]", "identity = [\"link\"]", "allow_prompt_injection = true",
                "trigger_hook = [\"tool.*\"]",
                "[env.API_URL]", "type = \"text\"", "default = \"https://x\"", "request = \"Where?\"",
                "[env.RETRIES]", "type = \"number\"", "default = 3",
                "[env.TOKEN]", "type = \"secret\"",
                "[[interceptor]]", "event = \"demo.*.done\"", "action = \"on_done\"",
                "[[uplink]]", "name = \"cli\"", "platform = \"local\"", "profile = \"chat\"",
                "[[cron]]", "name = \"tick\"", "schedule = \"*/5 * * * *\"", "action = \"tick\"",
                "[[tool]]", "name = \"greet\"", "description = \"says hi\"", "input_schema = { type = \"object\" }",
                "[[skill]]", "name = \"ignored too\""));
        assertThat(m.name()).isEqualTo("demo-1");
        assertThat(m.version()).isEqualTo("1.2.3-beta.1");
        assertThat(m.components()).singleElement().satisfies(c -> {
            assertThat(c.file()).isEqualTo("demo.wasm");
            assertThat(c.hash()).startsWith("sha256:");
        });
        assertThat(m.capabilities().uplink()).isTrue();
        assertThat(m.capabilities().fsWrite()).containsExactly("workspace://out");
        assertThat(m.capabilities().identity()).containsExactly("link");
        assertThat(m.capabilities().allowPromptInjection()).isTrue();
        assertThat(m.capabilities().triggerHook()).containsExactly("tool.*");
        assertThat(m.env().keySet()).containsExactly("API_URL", "RETRIES", "TOKEN");
        assertThat(m.env().get("RETRIES").defaultValue()).isEqualTo("3");
        assertThat(m.env().get("API_URL").request()).isEqualTo("Where?");
        assertThat(m.env().get("TOKEN").defaultValue()).isNull();
        assertThat(m.interceptors()).singleElement().isEqualTo(new CapsuleManifest.Interceptor("demo.*.done", "on_done"));
        assertThat(m.uplinks()).singleElement().isEqualTo(new CapsuleManifest.Uplink("cli", "local", "chat"));
        assertThat(m.cron()).singleElement().extracting(CapsuleManifest.Cron::schedule).isEqualTo("*/5 * * * *");
        assertThat(m.tools()).singleElement().extracting(CapsuleManifest.Tool::inputSchemaJson).isEqualTo("{\"type\":\"object\"}");
    }

    @Test
    void entrypointIsAnAliasOfFile() {
        CapsuleManifest m = parse("[package]\nname=\"a\"\nversion=\"0.1.0\"\n[[component]]\nentrypoint=\"x.wasm\"\n");
        assertThat(m.components().get(0).file()).isEqualTo("x.wasm");
    }

    @Test
    void badManifestsNameTheFileAndTheProblem() {
        assertThatThrownBy(() -> parse("[package]\nversion = \"1.0.0\"\n")).isInstanceOf(ManifestException.class)
                .hasMessage("Capsule.toml: missing required key package.name");
        assertThatThrownBy(() -> parse("[package]\nname = \"Bad_Name\"\nversion = \"1.0.0\"\n"))
                .hasMessageContaining("package.name 'Bad_Name' must be non-empty and use only a-z, 0-9 and '-'");
        assertThatThrownBy(() -> parse("[package]\nname = \"a\"\nversion = \"1.0\"\n"))
                .hasMessageContaining("is not a semantic version");
        assertThatThrownBy(() -> parse("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[env.X]\ndefault = \"y\"\n"))
                .hasMessageContaining("missing required key env.X.type");
        assertThatThrownBy(() -> parse("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[[interceptor]]\nevent = \"a..b\"\naction = \"x\"\n"))
                .hasMessageContaining("interceptor[0].event 'a..b' is not a valid topic pattern");
        assertThatThrownBy(() -> parse("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[[uplink]]\nname = \"u\"\nplatform = \"p\"\nprofile = \"human\"\n"))
                .hasMessageContaining("profile 'human' must be chat, interactive, notify or bridge");
        assertThatThrownBy(() -> parse("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[capabilities]\nfs_read = \"*\"\n"))
                .hasMessageContaining("capabilities.fs_read must be a list of strings");
        assertThatThrownBy(() -> parse("[package\nname = 1")).hasMessageStartingWith("Capsule.toml: not valid TOML");
        assertThatThrownBy(() -> parse("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[capabilities]\nidentity = [\"root\"]\n"))
                .hasMessageContaining("must be resolve, link or admin");
        assertThatThrownBy(() -> parse("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[capabilities]\ntrigger_hook = [\"a.\"]\n"))
                .hasMessageContaining("capabilities.trigger_hook entry 'a.' is not a valid topic pattern");
    }

    @Test
    void astridSdkNamesAProfileOrAnSdkVersionAndABadValueNamesTheFieldAndTheChoices() {
        String head = "[package]\nname = \"a\"\nversion = \"1.0.0\"\n";
        assertThat(parse(head).sdkProfile()).isEmpty();
        assertThat(parse(head + "astrid-sdk = \"0.4\"\n").sdkProfile()).contains(SdkProfile.SDK_0_4);
        assertThat(parse(head + "astrid-sdk = \"0.5.2\"\n").sdkProfile()).contains(SdkProfile.SDK_0_5);
        assertThat(parse(head + "astrid-sdk = \"seed\"\n").sdkProfile()).contains(SdkProfile.SEED);
        assertThat(parse(head + "astrid-sdk = \"0.2.1\"\n").astridSdk()).isEqualTo("0.2.1");
        assertThatThrownBy(() -> parse(head + "astrid-sdk = \"0.6\"\n")).isInstanceOf(ManifestException.class)
                .hasMessage("Capsule.toml: package.astrid-sdk: unknown SDK profile '0.6': use one of seed, 0.3, 0.4, 0.5, "
                        + "or an Astrid SDK version from 0.2 to 0.5 such as 0.4.1");
        assertThatThrownBy(() -> parse(head + "astrid-sdk = 0.4\n")).isInstanceOf(ManifestException.class)
                .hasMessage("Capsule.toml: package.astrid-sdk must be a string");
    }
}
