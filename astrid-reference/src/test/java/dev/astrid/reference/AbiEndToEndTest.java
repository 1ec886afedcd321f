package dev.astrid.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.kv.SealedSecretStore;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host functions called from a real guest (abi-driver) through the kernel and the linker. */
class AbiEndToEndTest {
    @TempDir
    Path dir;

    private AbiDriver driver(AstridHost host, CapsuleManifest manifest) throws Exception {
        Path capsuleDir = Files.createDirectories(dir.resolve("capsules").resolve(manifest.name()));
        return new AbiDriver(host.load(manifest, Guests.bytes("abi-driver"), Optional.of(capsuleDir)));
    }

    private static GuestCallException failure(Runnable r) {
        return catchThrowableOfType(GuestCallException.class, r::run);
    }

    @Test
    void everyFamilyHasABuiltInProvider() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            assertThat(host.boundProviders().keySet()).containsExactlyInAnyOrder(Family.values());
        }
    }

    @Test
    void everyFunctionOfAFamilyWithoutProviderTrapsWithNoProviderInstalled() throws Exception {
        // No provider discovered: all 48 functions are linked to the stub.
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).discoverProviders(false).build())) {
            AbiDriver d = driver(host, CapsuleManifest.bare("driver"));
            assertThat(host.boundProviders()).isEmpty();
            for (AbiFunction fn : AbiFunction.values()) {
                byte[][] args = new byte[fn.paramCount()][];
                java.util.Arrays.fill(args, new byte[] {'x'});
                GuestCallException e = failure(() -> d.call(fn, args));
                assertThat(e.kind()).as(fn.symbol()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
                assertThat(e).as(fn.symbol()).hasMessage(fn.symbol() + ": no provider installed");
            }
            assertThat(failure(() -> d.call(AbiFunction.CLOCK_MS))).as("the capsule still answers")
                    .hasMessage("astrid_clock_ms: no provider installed");
        }
    }

    @Test
    void argumentsOverTheirLimitAreRefusedBeforeTheProviderRuns() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = driver(host, CapsuleManifest.bare("driver"));
            GuestCallException log = failure(() -> d.call(AbiFunction.LOG, new byte[] {'i'}, new byte[65537]));
            assertThat(log).hasMessage("astrid_log: memory allocation of 65537 bytes exceeds maximum allowed limit of 65536 bytes");
            GuestCallException kv = failure(() -> d.call(AbiFunction.KV_SET, "k".getBytes(), new byte[10 * 1024 * 1024 + 1]));
            assertThat(kv).hasMessageContaining("astrid_kv_set: memory allocation of 10485761 bytes exceeds");
            assertThat(d.call(AbiFunction.KV_GET, "k".getBytes())).as("nothing was written").isEmpty();
        }
    }

    @Test
    void kvValuesPersistAcrossHostsWithTheSameDataDir() throws Exception {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = driver(host, CapsuleManifest.bare("store"));
            d.call(AbiFunction.KV_SET, "counter".getBytes(), binary);
            d.call(AbiFunction.KV_SET, "b".getBytes(), "2".getBytes());
            assertThat(d.call(AbiFunction.KV_GET, "counter".getBytes())).isEqualTo(binary);
            assertThat(d.text(AbiFunction.KV_LIST_KEYS, "")).isEqualTo("[\"b\",\"counter\"]");
            GuestCallException nul = failure(() -> d.call(AbiFunction.KV_SET, new byte[] {'a', 0}, new byte[] {1}));
            assertThat(nul).hasMessage("astrid_kv_set: kv_set failed: invalid key: key must not contain NUL");
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, true).build())) {
            AbiDriver d = driver(host, CapsuleManifest.bare("store"));
            assertThat(d.call(AbiFunction.KV_GET, "counter".getBytes())).isEqualTo(binary);
            assertThat(d.text(AbiFunction.KV_CLEAR_PREFIX, "")).isEqualTo("2");
        }
    }

    @Test
    void configIsRawAndTheCallerIsEmptyFromTheCommandLine() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).config("greeting", "say \"hi\"").build())) {
            AbiDriver d = driver(host, CapsuleManifest.bare("cfg"));
            assertThat(d.text(AbiFunction.GET_CONFIG, "greeting")).isEqualTo("say \"hi\"");
            assertThat(d.text(AbiFunction.GET_CONFIG, "nope")).isEmpty();
            assertThat(d.text(AbiFunction.GET_CALLER)).isEqualTo("{}");
        }
    }

    @Test
    void callerFieldsFollowTheInvocation() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            Path capsuleDir = Files.createDirectories(dir.resolve("c"));
            LoadedCapsule c = host.load(CapsuleManifest.bare("caller"), Guests.bytes("abi-driver"), Optional.of(capsuleDir));
            java.util.UUID source = java.util.UUID.randomUUID();
            Invocation.Caller caller = new Invocation.Caller("user-1", null, source, java.time.Instant.parse("2026-01-02T03:04:05Z"));
            byte[] in = new byte[] {(byte) AbiFunction.GET_CALLER.ordinal(), 0};
            String out = new String(c.call("invoke", in, caller, java.time.Duration.ofSeconds(10)), StandardCharsets.UTF_8);
            JsonObject o = JsonParser.parseString(out).getAsJsonObject();
            assertThat(o.get("user_id").getAsString()).isEqualTo("user-1");
            assertThat(o.get("source_id").getAsString()).isEqualTo(source.toString());
            assertThat(o.get("timestamp").getAsString()).isEqualTo("2026-01-02T03:04:05Z");
            assertThat(o.has("session_id")).isFalse();
        }
    }

    @Test
    void hasSecretAnswersPresenceOnly() throws Exception {
        try (SealedSecretStore s = TestHosts.secrets(dir)) {
            s.put("capsule:vault", "api_key", "s3cret".getBytes());
        }
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = driver(host, CapsuleManifest.bare("vault"));
            assertThat(d.text(AbiFunction.HAS_SECRET, "{\"key\":\"api_key\"}")).isEqualTo("{\"exists\":true}");
            assertThat(d.text(AbiFunction.HAS_SECRET, "{\"key\":\"other\"}")).isEqualTo("{\"exists\":false}");
            assertThat(failure(() -> d.text(AbiFunction.HAS_SECRET, "{\"key\":\"a:b\"}")))
                    .hasMessage("astrid_has_secret: has_secret failed: secret key must not contain ':'");
            assertThat(failure(() -> d.text(AbiFunction.HAS_SECRET, "not json"))).hasMessageStartingWith("astrid_has_secret: has_secret failed: request");
            assertThat(d.text(AbiFunction.KV_LIST_KEYS, "")).as("secrets are not KV keys").isEqualTo("[]");
        }
    }

    @Test
    void capabilityChecksAnswerForOtherCapsulesBySession() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            LoadedCapsule trusted = host.load(CapsuleManifest.bare("trusted").withCapabilities(
                    Capabilities.builder().allowPromptInjection(true).build()), Guests.bytes("kernel-probe"), Optional.empty());
            LoadedCapsule plain = host.load(CapsuleManifest.bare("plain"), Guests.bytes("hook-recorder"), Optional.empty());
            AbiDriver d = driver(host, CapsuleManifest.bare("asker"));
            String ask = "{\"source_uuid\":\"%s\",\"capability\":\"%s\"}";
            assertThat(d.text(AbiFunction.CHECK_CAPSULE_CAPABILITY, String.format(ask, trusted.sessionId(), "allow_prompt_injection")))
                    .isEqualTo("{\"allowed\":true}");
            assertThat(d.text(AbiFunction.CHECK_CAPSULE_CAPABILITY, String.format(ask, plain.sessionId(), "allow_prompt_injection")))
                    .isEqualTo("{\"allowed\":false}");
            assertThat(d.text(AbiFunction.CHECK_CAPSULE_CAPABILITY, String.format(ask, trusted.sessionId(), "fs_write")))
                    .isEqualTo("{\"allowed\":false}");
            assertThat(d.text(AbiFunction.CHECK_CAPSULE_CAPABILITY, String.format(ask, "not-a-uuid", "allow_prompt_injection")))
                    .isEqualTo("{\"allowed\":false}");
            trusted.unload();
            assertThat(d.text(AbiFunction.CHECK_CAPSULE_CAPABILITY, String.format(ask, trusted.sessionId(), "allow_prompt_injection")))
                    .as("unloaded").isEqualTo("{\"allowed\":false}");
            assertThat(failure(() -> d.text(AbiFunction.CHECK_CAPSULE_CAPABILITY, "{\"capability\":1}")))
                    .hasMessageContaining("astrid_check_capsule_capability: check_capsule_capability failed: the request must be");
        }
    }

    @Test
    void identityFullFlowThroughAGuest() throws Exception {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            if (!host.boundProviders().containsKey(Family.IDENTITY)) {
                throw new AssertionError("the identity provider is not installed");
            }
            CapsuleManifest admin = CapsuleManifest.bare("admin").withCapabilities(Capabilities.builder().identity("admin").build());
            AbiDriver d = driver(host, admin);
            JsonObject created = json(d.text(AbiFunction.IDENTITY_CREATE_USER, "{\"display_name\":\"Ada\"}"));
            assertThat(created.get("ok").getAsBoolean()).isTrue();
            String user = created.get("user_id").getAsString();
            assertThat(user).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            JsonObject linked = json(d.text(AbiFunction.IDENTITY_LINK, "{\"platform\":\" Discord \",\"platform_user_id\":\"42\",\"astrid_user_id\":\""
                    + user + "\",\"method\":\"oauth\"}"));
            assertThat(linked.get("ok").getAsBoolean()).isTrue();
            assertThat(linked.getAsJsonObject("link").get("platform").getAsString()).isEqualTo("discord");
            JsonObject resolved = json(d.text(AbiFunction.IDENTITY_RESOLVE, "{\"platform\":\"discord\",\"platform_user_id\":\"42\"}"));
            assertThat(resolved.get("found").getAsBoolean()).isTrue();
            assertThat(resolved.get("user_id").getAsString()).isEqualTo(user);
            assertThat(resolved.get("display_name").getAsString()).isEqualTo("Ada");
            JsonObject links = json(d.text(AbiFunction.IDENTITY_LIST_LINKS, "{\"astrid_user_id\":\"" + user + "\"}"));
            assertThat(links.getAsJsonArray("links")).hasSize(1);
            JsonObject unlinked = json(d.text(AbiFunction.IDENTITY_UNLINK, "{\"platform\":\"discord\",\"platform_user_id\":\"42\"}"));
            assertThat(unlinked.get("removed").getAsBoolean()).isTrue();
            JsonObject gone = json(d.text(AbiFunction.IDENTITY_RESOLVE, "{\"platform\":\"discord\",\"platform_user_id\":\"42\"}"));
            assertThat(gone.get("found").getAsBoolean()).isFalse();

            CapsuleManifest reader = CapsuleManifest.bare("reader").withCapabilities(Capabilities.builder().identity("resolve").build());
            AbiDriver r = driver(host, reader);
            JsonObject denied = json(r.text(AbiFunction.IDENTITY_CREATE_USER, "{}"));
            assertThat(denied.get("ok").getAsBoolean()).isFalse();
            assertThat(denied.get("error").getAsString()).isNotBlank();
        }
    }

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }
}
