package dev.astrid.reference.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.cron.CronProvider;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.tck.ManualClock;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.Guests;
import dev.astrid.reference.LoadedCapsule;
import dev.astrid.reference.TestHosts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cron jobs of a real capsule (guests/wat/cron-recorder.wat) through the kernel: the capsule
 * schedules through astrid_cron_schedule, the host calls its astrid_cron_trigger export when the
 * test moves the clock, a [[cron]] entry of its Capsule.toml fires too, and a new host on the same
 * data directory resumes the jobs.
 */
class CronEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** A host whose cron jobs are timed by the test's clock. */
    private AstridHost start() {
        CronProvider cron = new CronProvider(clock);
        clock.onChange(cron::wake);
        return AstridHost.start(TestHosts.config(dir, false).addProvider(cron).build());
    }

    /** The recorder as a capsule directory with a Capsule.toml, plus extra manifest lines. */
    private Path capsule(String name, String... extra) throws Exception {
        Path c = Files.createDirectories(dir.resolve("capsules").resolve(name));
        Guests.copyTo("cron-recorder", c);
        List<String> toml = new ArrayList<>(List.of("[package]", "name = \"" + name + "\"", "version = \"0.1.0\"",
                "[[component]]", "file = \"cron-recorder.wasm\""));
        toml.addAll(List.of(extra));
        Files.writeString(c.resolve("Capsule.toml"), String.join("\n", toml) + "\n");
        return c;
    }

    private static void schedule(LoadedCapsule c, String name, String schedule, String payload) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] s = schedule.getBytes(StandardCharsets.UTF_8);
        in.write(n.length);
        in.write(s.length);
        in.writeBytes(n);
        in.writeBytes(s);
        in.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        c.call("schedule", in.toByteArray());
    }

    /** The trigger inputs the capsule recorded, once there are at least {@code n}. */
    private static List<JsonObject> awaitFires(LoadedCapsule c, int n) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            String text = new String(c.call("fires", new byte[0], Invocation.Caller.NONE, Duration.ofSeconds(10)),
                    StandardCharsets.UTF_8);
            List<JsonObject> fires = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    fires.add(JsonParser.parseString(line).getAsJsonObject());
                }
            }
            if (fires.size() >= n) {
                return fires;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("expected " + n + " fire(s) within " + PATIENCE + ", got " + fires);
            }
        }
    }

    private static String arguments(JsonObject fire) {
        JsonArray a = fire.getAsJsonArray("arguments");
        byte[] b = new byte[a.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) a.get(i).getAsInt();
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aJobTheCapsuleSchedulesCallsItsTriggerExport() throws Exception {
        try (AstridHost host = start()) {
            LoadedCapsule c = host.load(capsule("ticker"));
            schedule(c, "tick", "@every 30s", "{\"n\":1}");
            clock.advance(Duration.ofSeconds(30));
            JsonObject fire = awaitFires(c, 1).get(0);
            assertThat(fire.keySet()).containsExactlyInAnyOrder("name", "arguments");
            assertThat(fire.get("name").getAsString()).isEqualTo("tick");
            assertThat(arguments(fire)).isEqualTo("{\"n\":1}");
            clock.advance(Duration.ofSeconds(30));
            assertThat(awaitFires(c, 2)).hasSize(2);
        }
    }

    @Test
    void aCronEntryOfTheManifestFiresWithItsAction() throws Exception {
        try (AstridHost host = start()) {
            LoadedCapsule c = host.load(capsule("nightly", "[[cron]]", "name = \"nightly\"", "schedule = \"0 3 * * *\"",
                    "action = \"on_night\""));
            clock.advance(Duration.ofHours(3));
            JsonObject fire = awaitFires(c, 1).get(0);
            assertThat(fire.get("name").getAsString()).isEqualTo("on_night");
            assertThat(fire.getAsJsonArray("arguments")).isEmpty();
        }
    }

    @Test
    void aNewHostOnTheSameDataDirectoryResumesTheJobsAndMakesUpAMissedFireOnce() throws Exception {
        Path capsule = capsule("keeper");
        try (AstridHost host = start()) {
            schedule(host.load(capsule), "hourly", "@every 1h", "kept");
        }
        clock.advance(Duration.ofHours(3)); // three fire times pass while no host runs
        try (AstridHost host = start()) {
            LoadedCapsule c = host.load(capsule);
            // The catch-up fire comes right after the load (the family is bound before the module exists).
            assertThat(awaitFires(c, 1)).singleElement().satisfies(f -> assertThat(arguments(f)).isEqualTo("kept"));
            clock.advance(Duration.ofHours(1));
            assertThat(awaitFires(c, 2)).hasSize(2).allSatisfy(f -> assertThat(f.get("name").getAsString()).isEqualTo("hourly"));
        }
    }

    @Test
    void aBadScheduleTrapsWithTheParsersReason() throws Exception {
        try (AstridHost host = start()) {
            LoadedCapsule c = host.load(capsule("bad"));
            GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> schedule(c, "job", "61 * * * *", ""));
            assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
            assertThat(e).hasMessage("astrid_cron_schedule: invalid schedule '61 * * * *': Value 61 not in range [0, 59]");
        }
    }

    @Test
    void aBadCronEntryFailsTheLoadNamingIt() throws Exception {
        try (AstridHost host = start()) {
            Path c = capsule("broken", "[[cron]]", "name = \"every-day\"", "schedule = \"0 0 * *\"", "action = \"x\"");
            IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class, () -> host.load(c));
            assertThat(e).hasMessageContaining("cannot load broken").hasMessageContaining("[[cron]] entry 'every-day'")
                    .hasMessageContaining("invalid schedule '0 0 * *'");
        }
    }
}
