package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.NetProviderContract.Client;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.HostConfig;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.SdkProfile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every function whose wire differs between SDK profiles, through real guests on one host where
 * capsules of different profiles run side by side: real Unix sockets for the stream sentinels,
 * real files for the result framing and {@code /tmp}, real interceptors for the verdict byte.
 */
class ProfileWireEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (Client c : clients) {
            c.close();
        }
    }

    private static HostConfig.Builder profiles(HostConfig.Builder b) {
        return b.profile("seed", SdkProfile.SEED).profile("v03", SdkProfile.SDK_0_3).profile("v04", SdkProfile.SDK_0_4)
                .profile("v05", SdkProfile.SDK_0_5).profile("cron05", SdkProfile.SDK_0_5)
                .profile("verdict05", SdkProfile.SDK_0_5).profile("verdictseed", SdkProfile.SEED);
    }

    private LoadedCapsule load(AstridHost host, CapsuleManifest m, String guest) throws Exception {
        return host.load(m, Guests.bytes(guest), Optional.of(Files.createDirectories(dir.resolve("c-" + m.name()))));
    }

    private static CapsuleManifest net(String name) {
        return CapsuleManifest.bare(name).withCapabilities(Capabilities.builder().netBind(name + ".sock").build());
    }

    private static CapsuleManifest files(String name) {
        return CapsuleManifest.bare(name).withCapabilities(Capabilities.builder().fsRead("*").fsWrite("*").build());
    }

    private Path socket(String capsule, String name) {
        return dir.resolve("data").resolve("capsules").resolve(capsule).resolve("sockets").resolve(name);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] cat(int first, String rest) {
        byte[] r = b(rest);
        byte[] out = new byte[r.length + 1];
        out[0] = (byte) first;
        System.arraycopy(r, 0, out, 1, r.length);
        return out;
    }

    private static String trap(Runnable r) {
        return catchThrowableOfType(GuestCallException.class, r::run).getMessage();
    }

    /** A connected stream: the capsule's handle and the Java client at the other end. */
    private record Connected(AbiDriver driver, String stream, Client client) {}

    private Connected connect(LoadedCapsule c) throws Exception {
        AbiDriver d = new AbiDriver(c);
        String listener = d.text(AbiFunction.NET_BIND_UNIX, c.id() + ".sock");
        Client client = new Client(socket(c.id(), c.id() + ".sock"));
        clients.add(client);
        String stream = d.text(AbiFunction.NET_ACCEPT, listener);
        assertThat(stream).matches("[0-9]+");
        return new Connected(d, stream, client);
    }

    /** Reads until the answer is not "nothing yet" (each read waits at most 50 ms on the host). */
    private static byte[] readUntil(AbiDriver d, String stream, byte[] nothingYet) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            byte[] got = d.call(AbiFunction.NET_READ, b(stream));
            if (!java.util.Arrays.equals(got, nothingYet)) {
                return got;
            }
        }
        throw new AssertionError("nothing arrived on stream " + stream);
    }

    @Test
    void netReadAndWriteSpeakEachProfilesWireSideBySide() throws Exception {
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).build())) {
            Connected seed = connect(load(host, net("seed"), "abi-driver"));
            Connected v03 = connect(load(host, net("v03"), "abi-driver"));
            Connected v04 = connect(load(host, net("v04"), "abi-driver"));

            // Nothing sent yet: empty for seed and 0.3, the status byte 0x02 for 0.4.
            assertThat(seed.driver().call(AbiFunction.NET_READ, b(seed.stream()))).isEmpty();
            assertThat(v03.driver().call(AbiFunction.NET_READ, b(v03.stream()))).isEmpty();
            assertThat(v04.driver().call(AbiFunction.NET_READ, b(v04.stream()))).containsExactly(2);

            // A frame: as it is for seed and 0.3, behind 0x00 for 0.4.
            for (Connected c : List.of(seed, v03, v04)) {
                c.client().send(b("hello " + c.driver().hashCode()));
            }
            assertThat(readUntil(seed.driver(), seed.stream(), new byte[0])).asString()
                    .isEqualTo("hello " + seed.driver().hashCode());
            assertThat(readUntil(v03.driver(), v03.stream(), new byte[0])).asString()
                    .isEqualTo("hello " + v03.driver().hashCode());
            assertThat(readUntil(v04.driver(), v04.stream(), new byte[] {2}))
                    .isEqualTo(cat(0, "hello " + v04.driver().hashCode()));

            // Writes reach the client the same way under every profile.
            for (Connected c : List.of(seed, v03, v04)) {
                c.driver().call(AbiFunction.NET_WRITE, b(c.stream()), b("to " + c.stream()));
                assertThat(c.client().receive()).asString().isEqualTo("to " + c.stream());
            }

            // The peer goes away: seed traps, 0.3 and 0.4 read the single byte 0x01.
            for (Connected c : List.of(seed, v03, v04)) {
                c.client().close();
            }
            assertThat(catchThrowableOfType(GuestCallException.class,
                    () -> readUntil(seed.driver(), seed.stream(), new byte[0])).getMessage())
                    .startsWith("astrid_net_read: stream " + seed.stream() + " was closed by the peer");
            assertThat(readUntil(v03.driver(), v03.stream(), new byte[0])).containsExactly(1);
            assertThat(readUntil(v04.driver(), v04.stream(), new byte[] {2})).containsExactly(1);
        }
    }

    @Test
    void aWriteToAGonePeerTrapsOnlyUnderTheSeed() throws Exception {
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).build())) {
            Connected seed = connect(load(host, net("seed"), "abi-driver"));
            Connected v03 = connect(load(host, net("v03"), "abi-driver"));
            seed.client().close();
            v03.client().close();
            // A Unix socket whose peer is closed refuses the next write (broken pipe) at once.
            assertThat(trap(() -> seed.driver().call(AbiFunction.NET_WRITE, b(seed.stream()), b("x"))))
                    .startsWith("astrid_net_write: stream " + seed.stream() + ": the peer closed the connection");
            assertThat(v03.driver().call(AbiFunction.NET_WRITE, b(v03.stream()), b("x"))).isEmpty();
            // Not a peer going away: a bad handle still traps under 0.3.
            assertThat(trap(() -> v03.driver().call(AbiFunction.NET_WRITE, b("99"), b("x"))))
                    .startsWith("astrid_net_write: ");
        }
    }

    @Test
    void underSdk05TheSevenReadingFunctionsFrameTheirResultInsteadOfTrapping() throws Exception {
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).build())) {
            Files.writeString(dir.resolve("ws").resolve("note.txt"), "hi");
            Files.createDirectories(dir.resolve("ws").resolve("box"));
            AbiDriver seed = new AbiDriver(load(host, files("seed"), "abi-driver"));
            AbiDriver v05 = new AbiDriver(load(host, files("v05"), "abi-driver-nocron"));

            assertThat(seed.text(AbiFunction.READ_FILE, "note.txt")).isEqualTo("hi");
            assertThat(v05.call(AbiFunction.READ_FILE, b("note.txt"))).isEqualTo(cat(0, "hi"));
            String missing = trap(() -> seed.text(AbiFunction.READ_FILE, "missing.txt"));
            assertThat(missing).startsWith("astrid_read_file: ");
            // The 0.5 message is the seed's trap message, behind 0x01.
            assertThat(v05.call(AbiFunction.READ_FILE, b("missing.txt"))).isEqualTo(cat(1, missing));

            assertThat(v05.call(AbiFunction.FS_EXISTS, b("note.txt"))).isEqualTo(cat(0, "true"));
            assertThat(v05.call(AbiFunction.FS_EXISTS, b("nope.txt"))).containsExactly(0);
            assertThat(v05.call(AbiFunction.FS_READDIR, b("box"))).isEqualTo(cat(0, "[]"));
            assertThat(v05.call(AbiFunction.FS_STAT, b("note.txt"))[0]).isEqualTo((byte) 0);
            assertThat(new String(v05.call(AbiFunction.FS_STAT, b("../../x")), StandardCharsets.UTF_8))
                    .startsWith("\u0001astrid_fs_stat: path escapes root boundary");

            // KV: a missing key is ok-and-empty, a listing and a count are framed.
            assertThat(seed.call(AbiFunction.KV_GET, b("k"))).isEmpty();
            assertThat(v05.call(AbiFunction.KV_GET, b("k"))).containsExactly(0);
            v05.call(AbiFunction.KV_SET, b("k"), b("v"));
            assertThat(v05.call(AbiFunction.KV_GET, b("k"))).isEqualTo(cat(0, "v"));
            assertThat(v05.call(AbiFunction.KV_LIST_KEYS, b(""))).isEqualTo(cat(0, "[\"k\"]"));
            assertThat(v05.call(AbiFunction.KV_CLEAR_PREFIX, b("k"))).isEqualTo(cat(0, "1"));

            // Functions outside the seven keep trapping: void functions have no result to frame.
            assertThat(trap(() -> v05.call(AbiFunction.FS_MKDIR, b("../../up"))))
                    .startsWith("astrid_fs_mkdir: path escapes root boundary");
        }
    }

    @Test
    void underSdk05TmpPathsNameAPrivateDirectoryThatUnloadEmpties() throws Exception {
        // Direct mode, so that a workspace write shows in the workspace at once.
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).setting("fs.mode", "direct").build())) {
            LoadedCapsule v05c = load(host, CapsuleManifest.bare("v05"), "abi-driver-nocron");
            AbiDriver v05 = new AbiDriver(v05c);
            AbiDriver seed = new AbiDriver(load(host, files("seed"), "abi-driver"));

            // No fs capability at all, yet /tmp is the capsule's own.
            v05.call(AbiFunction.FS_MKDIR, b("/tmp/work"));
            v05.call(AbiFunction.WRITE_FILE, b("/tmp/work/a.txt"), b("scratch"));
            assertThat(v05.call(AbiFunction.READ_FILE, b("/tmp/work/a.txt"))).isEqualTo(cat(0, "scratch"));
            assertThat(v05.call(AbiFunction.FS_READDIR, b("/tmp"))).isEqualTo(cat(0, "[\"work\"]"));
            Path tmp = dir.resolve("data").resolve("capsules").resolve("v05").resolve("fs-tmp");
            assertThat(tmp.resolve("work").resolve("a.txt")).hasContent("scratch");
            assertThat(dir.resolve("ws").resolve("tmp")).doesNotExist();
            // /tmpfoo is not /tmp: it stays a workspace path, which this capsule may not touch.
            assertThat(new String(v05.call(AbiFunction.READ_FILE, b("/tmpfoo")), StandardCharsets.UTF_8))
                    .startsWith("\u0001astrid_read_file: security denied");
            assertThat(new String(v05.call(AbiFunction.READ_FILE, b("/tmp/../../escape")), StandardCharsets.UTF_8))
                    .startsWith("\u0001astrid_read_file: path escapes root boundary");

            // The seed has no /tmp: the same path is a workspace path.
            seed.call(AbiFunction.FS_MKDIR, b("/tmp"));
            seed.call(AbiFunction.WRITE_FILE, b("/tmp/b.txt"), b("in the workspace"));
            assertThat(dir.resolve("ws").resolve("tmp").resolve("b.txt")).hasContent("in the workspace");

            host.unload(v05c);
            assertThat(tmp).doesNotExist();
        }
    }

    @Test
    void aCapsuleThatImportsCronCannotLoadAsSdk05AndTheMessageSaysWhy() throws Exception {
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).build())) {
            assertThatThrownBy(() -> load(host, CapsuleManifest.bare("cron05"), "abi-driver"))
                    .hasMessageContaining("imports astrid_cron_schedule and astrid_cron_cancel")
                    .hasMessageContaining("SDK 0.5 capsules do not have")
                    .hasMessageContaining("astrid-sdk = \"0.4\"");
            // The same module loads under the seed beside it.
            assertThat(new AbiDriver(load(host, CapsuleManifest.bare("seed"), "abi-driver"))
                    .text(AbiFunction.CLOCK_MS)).matches("[0-9]+");
        }
    }

    /** The abi-driver's input for one call, to make it with a caller of our choosing. */
    private static byte[] invoke(AbiFunction fn, byte[]... args) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(fn.ordinal());
        in.write(args.length);
        for (byte[] a : args) {
            in.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(a.length).array());
            in.writeBytes(a);
        }
        return in.toByteArray();
    }

    @Test
    void underSdk05TheCallerNamesThePrincipalWhenAMessageCausedTheCall() throws Exception {
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).build())) {
            LoadedCapsule seed = load(host, CapsuleManifest.bare("seed"), "abi-driver");
            LoadedCapsule v05 = load(host, CapsuleManifest.bare("v05"), "abi-driver-nocron");
            UUID source = UUID.fromString("7d4a0c1e-0000-4000-8000-000000000001");
            Invocation.Caller caller = new Invocation.Caller("ada", "s-1", source, Instant.parse("2026-11-30T08:00:00Z"));
            byte[] in = invoke(AbiFunction.GET_CALLER);

            assertThat(new String(seed.call("invoke", in, caller, PATIENCE), StandardCharsets.UTF_8)).isEqualTo(
                    "{\"user_id\":\"ada\",\"session_id\":\"s-1\",\"source_id\":\"" + source
                            + "\",\"timestamp\":\"2026-11-30T08:00:00Z\"}");
            assertThat(new String(v05.call("invoke", in, caller, PATIENCE), StandardCharsets.UTF_8)).isEqualTo(
                    "{\"principal\":\"ada\",\"source_id\":\"" + source + "\",\"timestamp\":\"2026-11-30T08:00:00+00:00\"}");
            // No message behind the call: {} under both.
            assertThat(new String(v05.call("invoke", in, Invocation.Caller.NONE, PATIENCE), StandardCharsets.UTF_8))
                    .isEqualTo("{}");
            assertThat(new String(seed.call("invoke", in, Invocation.Caller.NONE, PATIENCE), StandardCharsets.UTF_8))
                    .isEqualTo("{}");
        }
    }

    private LoadedCapsule interceptor(AstridHost host, String name) throws Exception {
        List<CapsuleManifest.Interceptor> interceptors = List.of(
                new CapsuleManifest.Interceptor("ev.continue", "continue"),
                new CapsuleManifest.Interceptor("ev.final", "final"),
                new CapsuleManifest.Interceptor("ev.deny", "deny"),
                new CapsuleManifest.Interceptor("ev.plain", "plain"));
        return load(host, CapsuleManifest.bare(name)
                .withCapabilities(Capabilities.builder().ipcSubscribe("ev.*").build())
                .withInterceptors(interceptors), "hook-verdict");
    }

    @Test
    void underSdk05AHookAnswerMayStartWithAVerdictByte() throws Exception {
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).build())) {
            interceptor(host, "verdict05");
            AbiDriver caller = new AbiDriver(load(host, CapsuleManifest.bare("caller")
                    .withCapabilities(Capabilities.builder().triggerHook("ev.*").build()), "abi-driver"));
            assertThat(caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"ev.continue\",\"payload\":{}}"))
                    .isEqualTo("[{\"v\":\"continue\"}]");
            assertThat(caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"ev.final\",\"payload\":{}}"))
                    .isEqualTo("[{\"v\":\"final\"}]");
            assertThat(caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"ev.deny\",\"payload\":{}}"))
                    .as("a denial is not an answer").isEqualTo("[]");
            assertThat(caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"ev.plain\",\"payload\":{}}"))
                    .isEqualTo("[{\"v\":\"plain\"}]");
        }
    }

    @Test
    void underTheSeedAVerdictByteIsPartOfTheAnswer() throws Exception {
        try (AstridHost host = AstridHost.start(profiles(TestHosts.config(dir, false)).build())) {
            LoadedCapsule seed = interceptor(host, "verdictseed");
            AbiDriver caller = new AbiDriver(load(host, CapsuleManifest.bare("caller")
                    .withCapabilities(Capabilities.builder().triggerHook("ev.*").build()), "abi-driver"));
            // 0x00 followed by JSON is not JSON: the seed's fan-out leaves it out.
            assertThat(caller.text(AbiFunction.TRIGGER_HOOK, "{\"hook\":\"ev.continue\",\"payload\":{}}")).isEqualTo("[]");
            assertThat(seed.call("astrid_hook_trigger", b("{\"name\":\"deny\",\"arguments\":[]}"),
                    Invocation.Caller.NONE, PATIENCE)).isEqualTo(cat(2, "not on my watch"));
        }
    }
}
