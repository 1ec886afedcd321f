package dev.astrid.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.capsule.ManifestException;
import dev.astrid.sys.abi.SdkProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which SDK profile a capsule gets: the module's SDK version, the manifest, the host's options, in that rising order. */
class ProfileChoiceTest {
    @TempDir
    Path dir;

    /** The stamped guest with one same-length piece of its data replaced: still a valid module. */
    private static byte[] stamped(String from, String to) {
        String bytes = new String(Guests.bytes("sdk-stamped"), StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains(from);
        assertThat(to).hasSameSizeAs(from);
        return bytes.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theSdkCrateWinsOverTheSysCrateAndTheChoiceSaysSo() {
        ProfileChoice c = SdkVersionDetector.detect("x", Guests.bytes("sdk-stamped"));
        assertThat(c.profile()).isEqualTo(SdkProfile.SDK_0_5);
        assertThat(c.source()).isEqualTo(ProfileChoice.Source.DETECTED);
        assertThat(c).hasToString("0.5 (detected astrid-sdk-0.5.2 in the module; preferred over astrid-sys-0.4.0)");
    }

    @Test
    void theSysCrateAloneIsReadWhenNoSdkPathIsThere() {
        ProfileChoice c = SdkVersionDetector.detect("x", stamped("astrid-sdk-0.5.2", "astrid-zzz-0.5.2"));
        assertThat(c).hasToString("0.4 (detected astrid-sys-0.4.0 in the module)");
    }

    @Test
    void severalVersionsOfOneCrateGiveTheNewest() {
        byte[] wasm = stamped("astrid-sys-0.4.0", "astrid-sdk-0.3.9");
        assertThat(SdkVersionDetector.detect("x", wasm))
                .hasToString("0.5 (detected astrid-sdk-0.5.2 in the module; the newest of 0.3.9, 0.5.2)");
    }

    @Test
    void aVersionWithoutAProfileFallsBackToSeedNamingIt() {
        ProfileChoice c = SdkVersionDetector.detect("x", stamped("astrid-sdk-0.5.2", "astrid-sdk-0.6.1"));
        assertThat(c.profile()).isEqualTo(SdkProfile.SEED);
        assertThat(c.detail()).isEqualTo("detected astrid-sdk-0.6.1 in the module, a version no profile serves (seed, 0.3, 0.4, 0.5): "
                + "using seed; preferred over astrid-sys-0.4.0");
        assertThat(SdkVersionDetector.detect("x", stamped("astrid-sdk-0.5.2", "astrid-sdk-0.1.0")).detail()).contains("0.1.0");
    }

    @Test
    void aModuleWithoutSdkPathsGetsSeed() {
        assertThat(SdkVersionDetector.detect("x", Guests.bytes("kernel-probe")))
                .isEqualTo(new ProfileChoice(SdkProfile.SEED, ProfileChoice.Source.DEFAULT, "no SDK version found in the module"));
        // A version not followed by a path separator is prose, not a crate directory.
        assertThat(SdkVersionDetector.detect("x", stamped("astrid-sdk-0.5.2/", "astrid-sdk-0.5.2 ")).profile())
                .isEqualTo(SdkProfile.SDK_0_4);
    }

    private Path capsule(String name, String astridSdk) throws Exception {
        Path c = Files.createDirectories(dir.resolve(name));
        Guests.copyTo("sdk-stamped", c);
        Files.writeString(c.resolve("Capsule.toml"), "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\n"
                + (astridSdk == null ? "" : "astrid-sdk = \"" + astridSdk + "\"\n") + "[[component]]\nfile = \"sdk-stamped.wasm\"\n");
        return c;
    }

    @Test
    void perCapsuleOptionThenHostOptionThenManifestThenModule() throws Exception {
        Path manifest = capsule("manifest", "0.3.1");
        Path detected = capsule("detected", null);
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, true).build())) {
            LoadedCapsule m = h.load(manifest);
            assertThat(m.profile()).isEqualTo(SdkProfile.SDK_0_3);
            // The manifest wins, but the module's own SDK version is named beside it.
            assertThat(m.profileChoice()).hasToString("0.3 (from Capsule.toml astrid-sdk = \"0.3.1\", but the module was"
                    + " built with astrid-sdk-0.5.2, whose profile is 0.5)");
            LoadedCapsule d = h.load(detected);
            assertThat(d.profileChoice().source()).isEqualTo(ProfileChoice.Source.DETECTED);
            assertThat(d.profile()).isEqualTo(SdkProfile.SDK_0_5);
            LoadedCapsule bare = h.load(CapsuleManifest.bare("probe"), Guests.bytes("kernel-probe"), Optional.empty());
            assertThat(bare.profileChoice()).hasToString("seed (no SDK version found in the module)");
            assertThat(m.call("hello", new byte[0])).isEmpty();
        }
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, true).profile(SdkProfile.SDK_0_4)
                .profile("detected", SdkProfile.SEED).build())) {
            assertThat(h.load(manifest).profileChoice()).isEqualTo(new ProfileChoice(SdkProfile.SDK_0_4,
                    ProfileChoice.Source.HOST, "from the host's profile for every capsule, but the module was built with"
                            + " astrid-sdk-0.5.2, whose profile is 0.5"));
            assertThat(h.load(detected).profileChoice()).isEqualTo(new ProfileChoice(SdkProfile.SEED,
                    ProfileChoice.Source.HOST_CAPSULE, "from the host's profile for this capsule, but the module was built"
                            + " with astrid-sdk-0.5.2, whose profile is 0.5"));
            // A module that names no SDK version gives nothing to compare with.
            assertThat(h.load(CapsuleManifest.bare("plain"), Guests.bytes("kernel-probe"), Optional.empty()).profileChoice())
                    .isEqualTo(new ProfileChoice(SdkProfile.SDK_0_4, ProfileChoice.Source.HOST, "from the host's profile for every capsule"));
        }
    }

    @Test
    void aBadManifestValueFailsTheLoadNamingTheField() throws Exception {
        Path bad = capsule("bad", "0.9");
        try (AstridHost h = AstridHost.start(TestHosts.config(dir, true).build())) {
            assertThatThrownBy(() -> h.load(bad)).isInstanceOf(ManifestException.class)
                    .hasMessageContaining("package.astrid-sdk: unknown SDK profile '0.9': use one of seed, 0.3, 0.4, 0.5");
        }
    }

}
