package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.sys.abi.CronFunctions;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.GuestExports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the cron family (as this host builds it, see
 * {@code docs/families/cron.md}): named jobs on 5-field cron expressions (UTC unless
 * {@code cron.zone} says otherwise), macros and {@code @every <duration>}; each fire calls the
 * capsule's {@code astrid_cron_trigger} export with {@code {"name","arguments":[payload bytes]}},
 * the caller's timestamp being the time the fire was due; re-scheduling a name replaces it;
 * cancelling an unknown name does nothing; at most {@code cron.max-jobs} (64) jobs and
 * {@code cron.max-payload-bytes} (64 KiB) payloads; {@code [[cron]]} manifest entries fire with
 * their action as the name; jobs survive a restart and a fire missed meanwhile is made up once;
 * closing a binding stops its jobs.
 *
 * <p>Time is a {@link ManualClock} the tests move: implement {@link #createProvider(ManualClock)}
 * with a provider timed by that clock and woken by its {@link ManualClock#onChange} listeners. The
 * capsules are {@link TestCapsule}s whose {@code astrid_cron_trigger} records each fire; a test
 * waits for fires with a deadline that only guards against hangs, never for time to pass.
 */
public abstract class CronProviderContract extends ProviderContract<CronFunctions> {

    /** How long a test waits for a fire that is due (a hang guard only). */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Where the clock starts: a Thursday, midnight UTC. */
    protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The clock every provider and capsule of a test is timed by. */
    protected final ManualClock clock = new ManualClock(START);
    private final List<HostProvider> providers = new CopyOnWriteArrayList<>();
    private final List<Object> bindings = new CopyOnWriteArrayList<>();

    /**
     * Creates a provider whose jobs are timed by {@code clock} and which looks at the clock again
     * whenever it moves (register with {@link ManualClock#onChange}). Called once or more per test
     * (a restart makes a second one); each is closed after the test.
     */
    protected abstract HostProvider createProvider(ManualClock clock);

    @Override
    protected final HostProvider createProvider() {
        HostProvider p = createProvider(clock);
        providers.add(p);
        return p;
    }

    @Override
    protected final Family family() {
        return Family.CRON;
    }

    @AfterEach
    void closeCron() throws Exception {
        for (Object b : bindings) {
            if (b instanceof AutoCloseable) {
                ((AutoCloseable) b).close();
            }
        }
        for (HostProvider p : providers) {
            p.close();
        }
    }

    /** One call of {@code astrid_cron_trigger}: the name and argument bytes it carried, and when it was due. */
    protected record Fire(String name, byte[] arguments, Instant due) {
        /** The arguments as UTF-8 text. */
        public String text() {
            return new String(arguments, StandardCharsets.UTF_8);
        }
    }

    /** The fires a capsule received, in order, with a way to wait for them. */
    protected static final class Fires {
        private final List<Fire> fires = new ArrayList<>();

        synchronized void add(Fire f) {
            fires.add(f);
            notifyAll();
        }

        /** The fires so far. */
        public synchronized List<Fire> all() {
            return List.copyOf(fires);
        }

        /**
         * Waits until at least {@code n} fires have come and returns all of them.
         *
         * @throws AssertionError when they have not come within {@link #PATIENCE}
         */
        public synchronized List<Fire> await(int n) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (fires.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " fire(s) within " + PATIENCE + ", got " + fires);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for fires", e);
                }
            }
            return List.copyOf(fires);
        }
    }

    /** Builds a capsule whose {@code astrid_cron_trigger} (and the other exports named) records into {@code fires}. */
    protected TestCapsule.Builder capsule(String id, Fires fires, String... otherExports) {
        List<String> exports = new ArrayList<>(Arrays.asList(otherExports));
        exports.add(GuestExports.CRON_TRIGGER);
        return host.capsule(id).clock(clock).exports(exports, (export, input) -> {
            JsonObject o = JsonParser.parseString(new String(input, StandardCharsets.UTF_8)).getAsJsonObject();
            assertThat(o.keySet()).as("keys of the trigger input").containsExactlyInAnyOrder("name", "arguments");
            JsonArray a = o.getAsJsonArray("arguments");
            byte[] args = new byte[a.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = (byte) a.get(i).getAsInt();
            }
            fires.add(new Fire(o.get("name").getAsString(), args, runningTrigger(id).caller().timestamp()));
            return new byte[0];
        });
    }

    /** The invocation of {@code astrid_cron_trigger} that capsule {@code id} is running. */
    private Invocation runningTrigger(String id) {
        return host.all().stream().filter(c -> c.id().equals(id)).map(c -> ((TestCapsule) c).currentInvocation())
                .filter(i -> i.export().equals(GuestExports.CRON_TRIGGER)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not running " + GuestExports.CRON_TRIGGER));
    }

    /** Builds and binds a capsule that records its fires. */
    protected CronFunctions bindRecorder(String id, Fires fires) {
        return bindTracked(capsule(id, fires).build());
    }

    /** Binds a capsule and closes the binding after the test. */
    protected CronFunctions bindTracked(TestCapsule c) {
        CronFunctions f = bind(c);
        bindings.add(f);
        return f;
    }

    /** Closes a binding as the host does at unload; the contract requires bindings to be closeable. */
    protected static void unload(CronFunctions binding) throws Exception {
        assertThat(binding).as("a cron binding must be AutoCloseable so that unload stops its jobs").isInstanceOf(AutoCloseable.class);
        ((AutoCloseable) binding).close();
    }

    /** A manifest with {@code [[cron]]} entries. */
    protected static CapsuleManifest withCron(String id, CapsuleManifest.Cron... entries) {
        CapsuleManifest m = CapsuleManifest.bare(id);
        return new CapsuleManifest(m.name(), m.version(), m.description(), m.components(), Capabilities.NONE, m.env(),
                m.interceptors(), m.uplinks(), List.of(entries), m.tools());
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2026-01-01T" + hhmmss + "Z");
    }

    private static Predicate<Fire> named(String name) {
        return f -> f.name().equals(name);
    }

    /** Fires on the schedule given, with the name and payload given. */
    @Nested
    class Schedule {
        @Test
        void anIntervalFiresTheTriggerExportWithNameAndPayloadEveryInterval() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("ticker", fires);
            cron.cronSchedule(b("tick"), b("@every 30s"), b("{\"a\":1}"));
            clock.advance(Duration.ofSeconds(30));
            Fire first = fires.await(1).get(0);
            assertThat(first.name()).isEqualTo("tick");
            assertThat(first.text()).isEqualTo("{\"a\":1}");
            assertThat(first.due()).as("the caller timestamp is the time the fire was due").isEqualTo(at("00:00:30"));
            clock.advance(Duration.ofSeconds(30));
            assertThat(fires.await(2)).extracting(Fire::due).containsExactly(at("00:00:30"), at("00:01:00"));
        }

        @Test
        void unitsCombineInAnInterval() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("ticker", fires);
            cron.cronSchedule(b("long"), b("@every 1h30m"), new byte[0]);
            clock.advance(Duration.ofMinutes(90));
            assertThat(fires.await(1)).singleElement().satisfies(f -> {
                assertThat(f.due()).isEqualTo(at("01:30:00"));
                assertThat(f.arguments()).isEmpty();
            });
        }

        @Test
        void aCronExpressionFiresAtItsNextMatchingTimeInUtc() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("daily", fires);
            cron.cronSchedule(b("six"), b("0 6 * * *"), b("x"));
            clock.advance(Duration.ofHours(6));
            assertThat(fires.await(1)).singleElement().extracting(Fire::due).isEqualTo(at("06:00:00"));
        }

        @Test
        void theZoneSettingReadsExpressionsInThatZone() {
            Fires fires = new Fires();
            CronFunctions cron = bindTracked(capsule("tokyo", fires)
                    .settings(ProviderSettings.of(Map.of("cron.zone", "Asia/Tokyo"))).build());
            // 10:00 in Tokyo (UTC+9, no daylight saving) is 01:00 UTC.
            cron.cronSchedule(b("ten"), b("0 10 * * *"), new byte[0]);
            clock.advance(Duration.ofHours(1));
            assertThat(fires.await(1)).singleElement().extracting(Fire::due).isEqualTo(at("01:00:00"));
        }

        @Test
        void macrosStandForTheirExpressions() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("macro", fires);
            cron.cronSchedule(b("hourly"), b("@hourly"), new byte[0]);
            cron.cronSchedule(b("daily"), b(" @daily "), new byte[0]);
            clock.advance(Duration.ofHours(1));
            assertThat(fires.await(1)).singleElement().satisfies(f -> {
                assertThat(f.name()).isEqualTo("hourly");
                assertThat(f.due()).isEqualTo(at("01:00:00"));
            });
        }

        @Test
        void aCapsuleWithoutTheTriggerExportCannotSchedule() {
            CronFunctions cron = bindTracked(host.capsule("silent").clock(clock).build());
            assertHostError(() -> cron.cronSchedule(b("job"), b("@every 1m"), new byte[0]))
                    .hasMessageContaining("astrid_cron_trigger");
        }

        @Test
        void aCapsuleWithARunLoopCannotSchedule() {
            CronFunctions cron = bindTracked(capsule("looper", new Fires(), GuestExports.RUN).build());
            assertHostError(() -> cron.cronSchedule(b("job"), b("@every 1m"), new byte[0]))
                    .hasMessageContaining("run loop");
        }
    }

    /** A name scheduled again is replaced, schedule and payload. */
    @Nested
    class Replace {
        @Test
        void schedulingANameAgainReplacesItsScheduleAndPayload() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("replacer", fires);
            cron.cronSchedule(b("job"), b("@every 10s"), b("old"));
            cron.cronSchedule(b("job"), b("@every 1m"), b("new"));
            clock.advance(Duration.ofMinutes(1));
            assertThat(fires.await(1).get(0)).satisfies(f -> {
                assertThat(f.text()).isEqualTo("new");
                assertThat(f.due()).isEqualTo(at("00:01:00"));
            });
            clock.advance(Duration.ofMinutes(1));
            assertThat(fires.await(2)).extracting(Fire::text, Fire::due)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("new", at("00:01:00")),
                            org.assertj.core.groups.Tuple.tuple("new", at("00:02:00")));
        }

        @Test
        void aBadScheduleLeavesTheJobOfThatNameAsItWas() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("keeper", fires);
            cron.cronSchedule(b("job"), b("@every 10s"), b("kept"));
            assertHostError(() -> cron.cronSchedule(b("job"), b("99 * * * *"), b("lost")));
            clock.advance(Duration.ofSeconds(10));
            assertThat(fires.await(1).get(0).text()).isEqualTo("kept");
        }
    }

    /** Cancel stops a job; an unknown name is no error. */
    @Nested
    class Cancel {
        @Test
        void cancelStopsTheJobAndNoOther() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("canceller", fires);
            cron.cronSchedule(b("a"), b("@every 10s"), new byte[0]);
            cron.cronSchedule(b("b"), b("@every 10s"), new byte[0]);
            cron.cronCancel(b("a"));
            clock.advance(Duration.ofSeconds(10));
            fires.await(1);
            clock.advance(Duration.ofSeconds(10));
            assertThat(fires.await(2)).extracting(Fire::name).containsExactly("b", "b");
        }

        @Test
        void cancellingAnUnknownNameDoesNothing() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("canceller", fires);
            cron.cronSchedule(b("kept"), b("@every 10s"), new byte[0]);
            assertThatCode(() -> cron.cronCancel(b("never-scheduled"))).doesNotThrowAnyException();
            clock.advance(Duration.ofSeconds(10));
            assertThat(fires.await(1)).extracting(Fire::name).containsExactly("kept");
        }

        @Test
        void aCancelledNameCanBeScheduledAgain() {
            Fires fires = new Fires();
            CronFunctions cron = bindRecorder("again", fires);
            cron.cronSchedule(b("job"), b("@every 10s"), b("1"));
            cron.cronCancel(b("job"));
            cron.cronSchedule(b("job"), b("@every 20s"), b("2"));
            clock.advance(Duration.ofSeconds(20));
            assertThat(fires.await(1)).singleElement().satisfies(f -> {
                assertThat(f.text()).isEqualTo("2");
                assertThat(f.due()).isEqualTo(at("00:00:20"));
            });
        }
    }

    /** Job count, name and payload limits. */
    @Nested
    class Limits {
        @Test
        void atMost64JobsByDefaultAndReplacingDoesNotCount() {
            CronFunctions cron = bindRecorder("many", new Fires());
            for (int i = 0; i < 64; i++) {
                cron.cronSchedule(b("job-" + i), b("@every 1h"), new byte[0]);
            }
            assertHostError(() -> cron.cronSchedule(b("job-64"), b("@every 1h"), new byte[0]))
                    .hasMessageContaining("64").hasMessageContaining("cron.max-jobs");
            assertThatCode(() -> cron.cronSchedule(b("job-0"), b("@every 2h"), new byte[0])).doesNotThrowAnyException();
            cron.cronCancel(b("job-1"));
            assertThatCode(() -> cron.cronSchedule(b("job-64"), b("@every 1h"), new byte[0])).doesNotThrowAnyException();
        }

        @Test
        void theJobLimitIsASetting() {
            CronFunctions cron = bindTracked(capsule("few", new Fires())
                    .settings(ProviderSettings.of(Map.of("cron.max-jobs", "2"))).build());
            cron.cronSchedule(b("a"), b("@every 1h"), new byte[0]);
            cron.cronSchedule(b("b"), b("@every 1h"), new byte[0]);
            assertHostError(() -> cron.cronSchedule(b("c"), b("@every 1h"), new byte[0])).hasMessageContaining("2");
        }

        @Test
        void namesAreNonEmptyPrintableUtf8OfAtMost256Bytes() {
            CronFunctions cron = bindRecorder("names", new Fires());
            assertHostError(() -> cron.cronSchedule(new byte[0], b("@every 1h"), new byte[0])).hasMessageContaining("empty");
            assertHostError(() -> cron.cronSchedule(b("x".repeat(257)), b("@every 1h"), new byte[0])).hasMessageContaining("256");
            assertHostError(() -> cron.cronSchedule(b("a\nb"), b("@every 1h"), new byte[0])).hasMessageContaining("printable");
            assertHostError(() -> cron.cronSchedule(new byte[] {(byte) 0xff}, b("@every 1h"), new byte[0]))
                    .hasMessageContaining("UTF-8");
            assertHostError(() -> cron.cronCancel(new byte[0])).hasMessageContaining("empty");
            assertThatCode(() -> cron.cronSchedule(b("é".repeat(128)), b("@every 1h"), new byte[0]))
                    .as("256 bytes of UTF-8").doesNotThrowAnyException();
        }

        @Test
        void payloadsAreAtMost64KiBByDefault() {
            CronFunctions cron = bindRecorder("payloads", new Fires());
            assertThatCode(() -> cron.cronSchedule(b("fits"), b("@every 1h"), new byte[65536])).doesNotThrowAnyException();
            assertHostError(() -> cron.cronSchedule(b("big"), b("@every 1h"), new byte[65537]))
                    .hasMessageContaining("65536").hasMessageContaining("cron.max-payload-bytes");
        }
    }

    /** A schedule that does not parse traps with the reason, naming the expression. */
    @Nested
    class BadSchedules {
        @Test
        void aBadExpressionTrapsNamingItAndTheReason() {
            CronFunctions cron = bindRecorder("bad", new Fires());
            assertHostError(() -> cron.cronSchedule(b("job"), b("61 * * * *"), new byte[0]))
                    .hasMessageStartingWith("invalid schedule '61 * * * *': ").hasMessageContaining("61");
            assertHostError(() -> cron.cronSchedule(b("job"), b("* * * *"), new byte[0]))
                    .hasMessageStartingWith("invalid schedule '* * * *': ");
        }

        @Test
        void everyOtherMalformedScheduleTraps() {
            CronFunctions cron = bindRecorder("bad", new Fires());
            for (String s : List.of("", "@every 0s", "@every 500ms", "@every 1x", "@every", "@every 1m30h", "@reboot",
                    "@often", "0 0 31 2 *", "* * * * * *", "every minute")) {
                assertHostError(() -> cron.cronSchedule(b("job"), b(s), new byte[0])).as(s)
                        .hasMessageStartingWith("invalid schedule '");
            }
            assertHostError(() -> cron.cronSchedule(b("job"), new byte[] {'*', (byte) 0xc3}, new byte[0]))
                    .hasMessageStartingWith("invalid schedule");
        }
    }

    /** {@code [[cron]]} entries of the manifest. */
    @Nested
    class Manifest {
        @Test
        void anEntryFiresWithItsActionAsTheNameAndNoArguments() {
            Fires fires = new Fires();
            CronFunctions cron = bindTracked(capsule("manifested", fires)
                    .manifest(withCron("manifested", new CapsuleManifest.Cron("tick", "*/5 * * * *", "on_tick"))).build());
            cron.cronCancel(b("tick"));
            clock.advance(Duration.ofMinutes(5));
            assertThat(fires.await(1)).singleElement().satisfies(f -> {
                assertThat(f.name()).as("the action; a guest cancel does not reach manifest entries").isEqualTo("on_tick");
                assertThat(f.arguments()).isEmpty();
                assertThat(f.due()).isEqualTo(at("00:05:00"));
            });
        }

        @Test
        void aBadEntryFailsTheBindNamingIt() {
            TestCapsule c = capsule("broken", new Fires())
                    .manifest(withCron("broken", new CapsuleManifest.Cron("nightly", "0 25 * * *", "run"))).build();
            assertHostError(() -> bindTracked(c)).hasMessageContaining("[[cron]] entry 'nightly'")
                    .hasMessageContaining("invalid schedule '0 25 * * *'");
        }

        @Test
        void entriesNeedTheTriggerExport() {
            TestCapsule c = host.capsule("deaf").clock(clock)
                    .manifest(withCron("deaf", new CapsuleManifest.Cron("tick", "@hourly", "tick"))).build();
            assertHostError(() -> bindTracked(c)).hasMessageContaining("[[cron]] entry 'tick'")
                    .hasMessageContaining("astrid_cron_trigger");
        }
    }

    /** Jobs are kept in the data directory and resume on the next load. */
    @Nested
    class Persistence {
        @Test
        void jobsResumeWhenTheCapsuleIsLoadedAgainByANewProvider() throws Exception {
            CronFunctions first = bindRecorder("keeper", new Fires());
            first.cronSchedule(b("hourly"), b("@every 1h"), b("kept payload"));
            unload(first);
            provider.close();

            provider = createProvider();
            Fires fires = new Fires();
            bindRecorder("keeper", fires);
            clock.advance(Duration.ofHours(1));
            assertThat(fires.await(1)).singleElement().satisfies(f -> {
                assertThat(f.name()).isEqualTo("hourly");
                assertThat(f.text()).isEqualTo("kept payload");
                assertThat(f.due()).isEqualTo(at("01:00:00"));
            });
        }

        @Test
        void aFireMissedWhileDownIsMadeUpOnceThenTheScheduleGoesOn() throws Exception {
            CronFunctions first = bindRecorder("sleeper", new Fires());
            first.cronSchedule(b("ten"), b("@every 10m"), new byte[0]);
            unload(first);
            provider.close();
            clock.advance(Duration.ofHours(1)); // six fire times pass while nothing is loaded

            provider = createProvider();
            Fires fires = new Fires();
            bindRecorder("sleeper", fires);
            assertThat(fires.await(1)).as("one catch-up fire at load, for the first missed time")
                    .extracting(Fire::due).containsExactly(at("00:10:00"));
            clock.advance(Duration.ofMinutes(10));
            assertThat(fires.await(2)).as("then the interval again, counted from the load")
                    .extracting(Fire::due).containsExactly(at("00:10:00"), at("01:10:00"));
        }

        @Test
        void capsulesDoNotSeeEachOthersJobs() throws Exception {
            Fires a = new Fires();
            Fires b = new Fires();
            CronFunctions ca = bindRecorder("alpha", a);
            CronFunctions cb = bindRecorder("beta", b);
            ca.cronSchedule(b("job"), b("@every 1m"), b("alpha"));
            cb.cronSchedule(b("job"), b("@every 2m"), b("beta"));
            cb.cronCancel(b("job"));
            cb.cronSchedule(b("other"), b("@every 1m"), b("beta"));
            clock.advance(Duration.ofMinutes(1));
            assertThat(a.await(1)).extracting(Fire::name, Fire::text)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("job", "alpha"));
            assertThat(b.await(1)).extracting(Fire::name, Fire::text)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("other", "beta"));
        }
    }

    /** Closing a binding (unload) stops its jobs; they resume on the next load. */
    @Nested
    class Unload {
        @Test
        void closingTheBindingStopsItsJobs() throws Exception {
            Fires gone = new Fires();
            Fires witness = new Fires();
            CronFunctions unloaded = bindRecorder("unloaded", gone);
            CronFunctions other = bindRecorder("witness", witness);
            unloaded.cronSchedule(b("job"), b("@every 10s"), new byte[0]);
            other.cronSchedule(b("job"), b("@every 10s"), new byte[0]);
            unload(unloaded);
            clock.advance(Duration.ofSeconds(10));
            witness.await(1);
            clock.advance(Duration.ofSeconds(10));
            witness.await(2);
            assertThat(gone.all()).as("fires of an unloaded capsule").isEmpty();

            Fires back = new Fires();
            bindRecorder("unloaded", back);
            assertThat(back.await(1)).as("loaded again, it makes up the missed fire once")
                    .extracting(Fire::due).containsExactly(START.plusSeconds(10));
        }
    }
}
