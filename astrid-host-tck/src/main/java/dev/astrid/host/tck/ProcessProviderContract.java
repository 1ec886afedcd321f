package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.ProcessFunctions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the process family ({@code astrid_spawn_host},
 * {@code astrid_spawn_background_host}, {@code astrid_read_process_logs_host},
 * {@code astrid_kill_process_host}; docs/families/process.md) that every process provider must keep, with
 * real processes ({@code echo}, {@code sh -c} scripts that print, sleep, ignore SIGTERM and start
 * children). Extend it and implement {@link #createProvider()}; override {@link #settings()} to
 * run it under particular settings (a sandbox choice, say).
 *
 * <p>What it pins down: the JSON of requests and answers; only commands named exactly in
 * {@code host_process} run, with arguments as a list (never a shell), in the workspace, with the
 * environment {@code PATH=/usr/local/bin:/usr/bin:/bin}, {@code HOME} and {@code PWD} = the
 * workspace, {@code LANG=C.UTF-8} and nothing else, and an empty stdin; output capped per stream
 * (setting {@code process.max-output-bytes}, default 1 MiB) with the excess counted in
 * {@code stdout_dropped} / {@code stderr_dropped}; the foreground timeout (setting
 * {@code process.timeout-ms}) that kills the whole tree and answers {@code exit_code -1,
 * timed_out true}; at most {@code process.max-background} (default 8) background processes per
 * capsule; clear traps for bad requests, unknown ids and denied commands, with nothing started;
 * and no process left behind — after a timeout, an interrupted call, a kill, an unload or the
 * provider's close, no process the test started (found by a marker in its command line) runs.
 *
 * <p>Waits poll a condition with a generous deadline that only guards against hangs; nothing
 * measures time.
 */
public abstract class ProcessProviderContract extends ProviderContract<ProcessFunctions> {

    /** How long a test waits for something that should happen soon (a hang guard only). */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The default output cap per stream. */
    protected static final int ONE_MIB = 1024 * 1024;

    private final List<ProcessFunctions> bindings = new CopyOnWriteArrayList<>();
    private final List<String> markers = new CopyOnWriteArrayList<>();

    @Override
    protected final Family family() {
        return Family.PROCESS;
    }

    /** The provider is found as a host finds it: its module provides it and ServiceLoader loads it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** Settings every capsule of the contract gets; the tests add their own keys on top. Default: none. */
    protected ProviderSettings settings() {
        return ProviderSettings.empty();
    }

    @AfterEach
    void closeAndCheckNothingIsLeft() throws Exception {
        for (ProcessFunctions b : bindings) {
            if (b instanceof AutoCloseable) {
                ((AutoCloseable) b).close();
            }
        }
        provider.close();
        for (String m : markers) {
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("processes with marker %s still run: %s", m,
                    HostProcesses.pids(m)).isTrue();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A capsule allowed to run exactly these commands. */
    protected ProcessFunctions capsule(String id, String... commands) {
        return capsule(host.capsule(id).capabilities(Capabilities.builder().hostProcess(commands).build())
                .settings(settings()).build());
    }

    /** A capsule allowed to run these commands, under extra settings. */
    protected ProcessFunctions capsule(String id, ProviderSettings extra, String... commands) {
        ProviderSettings s = settings();
        for (Map.Entry<String, String> e : extra.asMap().entrySet()) {
            s = s.with(e.getKey(), e.getValue());
        }
        return capsule(host.capsule(id).capabilities(Capabilities.builder().hostProcess(commands).build())
                .settings(s).build());
    }

    /** Binds a test capsule; the binding is closed after the test. */
    protected ProcessFunctions capsule(TestCapsule c) {
        ProcessFunctions p = bind(c);
        bindings.add(p);
        return p;
    }

    /** A fresh marker; after the test no process carrying it may run. */
    protected String marker() {
        String m = HostProcesses.marker();
        markers.add(m);
        return m;
    }

    /** {@code {"cmd":..,"args":[..]}}. */
    protected static byte[] command(String cmd, String... args) {
        JsonObject o = new JsonObject();
        o.addProperty("cmd", cmd);
        JsonArray a = new JsonArray();
        for (String arg : args) {
            a.add(arg);
        }
        o.add("args", a);
        return b(o.toString());
    }

    /** {@code {"id":N}}. */
    protected static byte[] id(long n) {
        return b("{\"id\":" + n + "}");
    }

    /** An answer as a map (the JSON must be an object). */
    @SuppressWarnings("unchecked")
    protected static Map<String, Object> json(byte[] answer) {
        Object v = JsonTree.parse(s(answer));
        assertThat(v).as("answer %s", s(answer)).isInstanceOf(Map.class);
        return (Map<String, Object>) v;
    }

    /** Starts a background command and returns its id. */
    protected static long background(ProcessFunctions p, String cmd, String... args) {
        Map<String, Object> started = json(p.spawnBackgroundHost(command(cmd, args)));
        assertThat(started).containsOnlyKeys("id");
        return (Long) started.get("id");
    }

    /**
     * Reads a background process's logs until {@code done} holds for the answer with everything
     * read so far: {@code stdout} and {@code stderr} concatenated over the reads,
     * {@code stdout_dropped} and {@code stderr_dropped} summed, {@code running} and
     * {@code exit_code} from the last read.
     */
    protected static Map<String, Object> logsUntil(ProcessFunctions p, long id, Predicate<Map<String, Object>> done) {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        long[] dropped = new long[2];
        Map<String, Object> all = new LinkedHashMap<>();
        boolean held = HostProcesses.await(PATIENCE, () -> {
            Map<String, Object> r = json(p.readProcessLogsHost(id(id)));
            assertThat(r).containsKeys("stdout", "stderr", "running", "exit_code");
            out.append((String) r.get("stdout"));
            err.append((String) r.get("stderr"));
            dropped[0] += (Long) r.getOrDefault("stdout_dropped", 0L);
            dropped[1] += (Long) r.getOrDefault("stderr_dropped", 0L);
            all.clear();
            all.putAll(r);
            all.put("stdout", out.toString());
            all.put("stderr", err.toString());
            all.put("stdout_dropped", dropped[0]);
            all.put("stderr_dropped", dropped[1]);
            return done.test(all);
        });
        assertThat(held).as("logs of process %s never satisfied the condition; last: %s", id, all).isTrue();
        return all;
    }

    /** Whether a background process has ended, judged from an accumulated answer. */
    protected static boolean ended(Map<String, Object> logs) {
        return Boolean.FALSE.equals(logs.get("running"));
    }

    private Path workspaceReal() {
        try {
            return host.workspace().toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code spawnHost} on a thread of its own, so that the test can interrupt it or unload under it. */
    private static CompletableFuture<byte[]> spawnOnThread(ProcessFunctions p, byte[] request, List<Thread> thread) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(p.spawnHost(request));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "process-contract-caller");
        t.setDaemon(true);
        thread.add(t);
        t.start();
        return f;
    }

    private static Throwable failureOf(CompletableFuture<byte[]> f) throws Exception {
        try {
            byte[] r = f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            return new AssertionError("expected a failure, got " + s(r));
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    // ---- astrid_spawn_host ---------------------------------------------------------------------

    /** {@code astrid_spawn_host}: runs to completion and answers its output. */
    @Nested
    class SpawnHost {
        @Test
        void echoAnswersItsStdoutStderrAndExitCode() {
            ProcessFunctions p = capsule("echoer", "echo");
            assertThat(json(p.spawnHost(command("echo", "hello", "world"))))
                    .isEqualTo(Map.of("stdout", "hello world\n", "stderr", "", "exit_code", 0L));
        }

        @Test
        void aScriptsStdoutStderrAndExitCodeComeBackSeparately() {
            ProcessFunctions p = capsule("script", "sh");
            assertThat(json(p.spawnHost(command("sh", "-c", "printf out; printf err >&2; exit 3"))))
                    .isEqualTo(Map.of("stdout", "out", "stderr", "err", "exit_code", 3L));
        }

        @Test
        void argsIsOptional() {
            ProcessFunctions p = capsule("noargs", "echo");
            assertThat(json(p.spawnHost(b("{\"cmd\":\"echo\"}")))).isEqualTo(Map.of("stdout", "\n", "stderr", "",
                    "exit_code", 0L));
        }

        @Test
        void argumentsAreAListAndNeverSeeAShell() throws Exception {
            Files.writeString(host.workspace().resolve("keep.txt"), "kept");
            ProcessFunctions p = capsule("literal", "echo");
            String[] args = {"$HOME", "; rm keep.txt", "`id`", "$(id)", "*", "a b", "|", "&&", "'", "\""};
            Map<String, Object> r = json(p.spawnHost(command("echo", args)));
            assertThat(r.get("stdout")).isEqualTo(String.join(" ", args) + "\n");
            assertThat(host.workspace().resolve("keep.txt")).hasContent("kept");
        }

        @Test
        void jsonEscapesInTheRequestAreReadNormally() {
            ProcessFunctions p = capsule("escapes", "printf");
            byte[] request = b("{\"cmd\":\"printf\",\"args\":[\"%s|%s|%s|%s\",\"a\\\"b\",\"tab\\there\",\"\\u00e9\\u20ac\","
                    + "\"back\\\\slash\"]}");
            assertThat(json(p.spawnHost(request)).get("stdout")).isEqualTo("a\"b|tab\there|é€|back\\slash");
        }

        @Test
        void theWorkingDirectoryIsTheWorkspace() {
            ProcessFunctions p = capsule("worker", "pwd", "sh");
            assertThat(json(p.spawnHost(command("pwd"))).get("stdout")).isEqualTo(workspaceReal() + "\n");
            assertThat(json(p.spawnHost(command("sh", "-c", "echo made > made.txt"))).get("exit_code")).isEqualTo(0L);
            assertThat(host.workspace().resolve("made.txt")).hasContent("made");
        }

        @Test
        void theEnvironmentIsTheDocumentedMinimalSetAndNothingOfTheHosts() {
            ProcessFunctions p = capsule("env", "env");
            String ws = workspaceReal().toString();
            Set<String> lines = ((String) json(p.spawnHost(command("env"))).get("stdout")).lines().collect(Collectors.toSet());
            assertThat(lines).containsExactlyInAnyOrder("PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + ws, "PWD=" + ws,
                    "LANG=C.UTF-8");
        }

        @Test
        void stdinIsEmpty() {
            ProcessFunctions p = capsule("reader", "cat", "sh");
            assertThat(json(p.spawnHost(command("cat")))).isEqualTo(Map.of("stdout", "", "stderr", "", "exit_code", 0L));
            assertThat(json(p.spawnHost(command("sh", "-c", "read line; echo \"read=$? [$line]\"")))
                    .get("stdout")).isEqualTo("read=1 []\n");
        }

        @Test
        void stdoutPastOneMebibyteIsDroppedAndCounted() {
            ProcessFunctions p = capsule("loud", "sh");
            int extra = 100_000;
            Map<String, Object> r = json(p.spawnHost(command("sh", "-c", "yes abcdefghi | head -c " + (ONE_MIB + extra)
                    + "; echo done >&2")));
            assertThat((String) r.get("stdout")).hasSize(ONE_MIB).startsWith("abcdefghi\nabcdefghi\n");
            assertThat(r).containsEntry("stdout_dropped", (long) extra).containsEntry("stderr", "done\n")
                    .containsEntry("exit_code", 0L).doesNotContainKeys("stderr_dropped", "timed_out");
        }

        @Test
        void stderrPastOneMebibyteIsDroppedAndCounted() {
            ProcessFunctions p = capsule("noisy", "sh");
            Map<String, Object> r = json(p.spawnHost(command("sh", "-c", "yes e | head -c " + (ONE_MIB + 1) + " >&2")));
            assertThat((String) r.get("stderr")).hasSize(ONE_MIB);
            assertThat(r).containsEntry("stderr_dropped", 1L).containsEntry("stdout", "").doesNotContainKey("stdout_dropped");
        }

        @Test
        void invalidUtf8InTheOutputBecomesReplacementCharacters() {
            ProcessFunctions p = capsule("bytes", "printf");
            assertThat(json(p.spawnHost(command("printf", "a\\377b\\303"))).get("stdout")).isEqualTo("a\uFFFDb\uFFFD");
        }

        @Test
        void aCommandKilledByASignalAnswers128PlusTheSignal() {
            ProcessFunctions p = capsule("suicide", "sh");
            assertThat(json(p.spawnHost(command("sh", "-c", "echo bye; kill -9 $$"))))
                    .isEqualTo(Map.of("stdout", "bye\n", "stderr", "", "exit_code", 137L));
        }

        @Test
        void theTimeoutKillsTheWholeTreeEvenWhenItIgnoresSigterm() {
            ProcessFunctions p = capsule("slow", ProviderSettings.of(Map.of("process.timeout-ms", "3000")), "sh");
            String m = marker();
            Map<String, Object> r = json(p.spawnHost(command("sh", "-c", "trap '' TERM INT; sleep 3600." + m
                    + " & echo started; wait", "tag-" + m)));
            assertThat(r).containsEntry("exit_code", -1L).containsEntry("timed_out", true).containsEntry("stdout", "started\n");
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("left: %s", HostProcesses.pids(m)).isTrue();
        }

        @Test
        void childrenTheCommandLeftRunningDoNotOutliveIt() {
            ProcessFunctions p = capsule("leaver", ProviderSettings.of(Map.of("process.timeout-ms", "20000")), "sh");
            String m = marker();
            // The child holds stdout open; a provider without a PID namespace must find and end it. (The second
            // the script lives gives a provider that samples descendants time to see the child.)
            Map<String, Object> r = json(p.spawnHost(command("sh", "-c", "sleep 3600." + m + " & sleep 1; echo parent done")));
            assertThat(r).containsEntry("stdout", "parent done\n").containsEntry("exit_code", 0L).doesNotContainKey("timed_out");
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("left: %s", HostProcesses.pids(m)).isTrue();
        }

        @Test
        void interruptingTheCallKillsTheTreeAndTraps() throws Exception {
            ProcessFunctions p = capsule("interrupted", "sh");
            String m = marker();
            List<Thread> caller = new ArrayList<>();
            CompletableFuture<byte[]> f = spawnOnThread(p, command("sh", "-c", "sleep 3600." + m + " & wait", "tag-" + m), caller);
            assertThat(HostProcesses.awaitSleeping(m, 1, PATIENCE)).as("the script and its child started").isTrue();
            caller.get(0).interrupt();
            Throwable t = failureOf(f);
            assertThat(t).isInstanceOf(HostException.class).hasMessageContaining("interrupted")
                    .hasMessageContaining("killed");
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("left: %s", HostProcesses.pids(m)).isTrue();
        }

        @Test
        void unloadingDuringTheCallKillsTheTreeAndTraps() throws Exception {
            ProcessFunctions p = capsule("unloaded", "sh");
            String m = marker();
            CompletableFuture<byte[]> f = spawnOnThread(p, command("sh", "-c", "sleep 3600." + m + " & wait", "tag-" + m),
                    new ArrayList<>());
            assertThat(HostProcesses.awaitSleeping(m, 1, PATIENCE)).isTrue();
            ((AutoCloseable) p).close();
            assertThat(failureOf(f)).isInstanceOf(HostException.class).hasMessageContaining("unloaded");
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("left: %s", HostProcesses.pids(m)).isTrue();
        }
    }

    // ---- astrid_spawn_background_host ----------------------------------------------------------

    /** {@code astrid_spawn_background_host}: starts and answers an id. */
    @Nested
    class SpawnBackground {
        @Test
        void idsCountFromOnePerCapsule() {
            ProcessFunctions a = capsule("a", "true");
            ProcessFunctions other = capsule("other", "true");
            assertThat(s(a.spawnBackgroundHost(command("true")))).isEqualTo("{\"id\":1}");
            assertThat(background(a, "true")).isEqualTo(2L);
            assertThat(background(other, "true")).isEqualTo(1L);
        }

        @Test
        void atMostEightPerCapsuleAndExitedOnesCountUntilKilled() {
            ProcessFunctions p = capsule("many", "true");
            for (int i = 1; i <= 8; i++) {
                assertThat(background(p, "true")).isEqualTo(i);
            }
            for (int i = 1; i <= 8; i++) {
                logsUntil(p, i, ProcessProviderContract::ended);
            }
            assertHostError(() -> p.spawnBackgroundHost(command("true"))).hasMessageContaining("limit")
                    .hasMessageContaining("8");
            assertThat(json(p.killProcessHost(id(3)))).containsEntry("killed", true).containsEntry("exit_code", 0L);
            assertThat(background(p, "true")).isEqualTo(9L);
            assertThat(background(capsule("neighbour", "true"), "true")).as("the limit is per capsule").isEqualTo(1L);
        }

        @Test
        void theLimitIsASetting() {
            ProcessFunctions p = capsule("two", ProviderSettings.of(Map.of("process.max-background", "2")), "true");
            background(p, "true");
            background(p, "true");
            assertHostError(() -> p.spawnBackgroundHost(command("true"))).hasMessageContaining("limit");
        }

        @Test
        void aDeniedCommandStartsNothingAndTakesNoId() {
            ProcessFunctions p = capsule("denied", "echo");
            assertHostError(() -> p.spawnBackgroundHost(command("sh", "-c", "touch ran")))
                    .hasMessageStartingWith("security denied host_process");
            assertThat(background(p, "echo")).isEqualTo(1L);
            assertThat(host.workspace().resolve("ran")).doesNotExist();
        }
    }

    // ---- astrid_read_process_logs_host ---------------------------------------------------------

    /** {@code astrid_read_process_logs_host}: drains what came since the last read. */
    @Nested
    class ReadLogs {
        @Test
        void drainsBothStreamsAndReportsTheExitCodeOnEveryReadAfterExit() {
            ProcessFunctions p = capsule("logger", "sh");
            long id = background(p, "sh", "-c", "echo one; echo two >&2; exit 4");
            Map<String, Object> all = logsUntil(p, id, ProcessProviderContract::ended);
            assertThat(all).containsEntry("stdout", "one\n").containsEntry("stderr", "two\n").containsEntry("exit_code", 4L);
            assertThat(json(p.readProcessLogsHost(id(id))))
                    .isEqualTo(Map.of("stdout", "", "stderr", "", "running", false, "exit_code", 4L));
        }

        @Test
        void aRunningProcessHasNoExitCode() {
            ProcessFunctions p = capsule("runner", "sh");
            String m = marker();
            long id = background(p, "sh", "-c", "echo ready; sleep 3600." + m);
            Map<String, Object> all = logsUntil(p, id, r -> r.get("stdout").equals("ready\n"));
            assertThat(all).containsEntry("running", true).containsEntry("exit_code", null);
            assertThat(json(p.readProcessLogsHost(id(id))))
                    .isEqualTo(mapOf("stdout", "", "stderr", "", "running", true, "exit_code", null));
        }

        @Test
        void theRingKeepsTheLastMebibyteAndCountsWhatItDropped() {
            ProcessFunctions p = capsule("flood", "sh");
            String m = marker();
            int total = ONE_MIB + 100_000;
            long id = background(p, "sh", "-c", "yes 0123456789 | head -c " + (total - 3) + "; printf END; touch flooded; sleep 3600." + m);
            assertThat(HostProcesses.await(PATIENCE, () -> Files.exists(host.workspace().resolve("flooded")))).isTrue();
            Map<String, Object> all = logsUntil(p, id, r -> ((String) r.get("stdout")).endsWith("END"));
            String out = (String) all.get("stdout");
            assertThat((long) out.length() + (Long) all.get("stdout_dropped")).as("every byte kept or counted").isEqualTo(total);
            assertThat((Long) all.get("stdout_dropped")).as("at least what the pipe could not hold was dropped")
                    .isGreaterThanOrEqualTo(100_000L - 65_536L);
            assertThat(out.substring(0, out.length() - 3)).matches("[0-9\n]*");
        }

        @Test
        void aCharacterSplitAcrossReadsArrivesWhole() throws Exception {
            ProcessFunctions p = capsule("split", "sh");
            String m = marker();
            long id = background(p, "sh", "-c", "printf '\\303'; touch half; while [ ! -e go ]; do sleep 0.02; done; "
                    + "printf '\\251'; sleep 3600." + m);
            assertThat(HostProcesses.await(PATIENCE, () -> Files.exists(host.workspace().resolve("half")))).isTrue();
            String first = (String) json(p.readProcessLogsHost(id(id))).get("stdout");
            Files.writeString(host.workspace().resolve("go"), "");
            Map<String, Object> all = logsUntil(p, id, r -> !((String) r.get("stdout")).isEmpty());
            assertThat(first + all.get("stdout")).isEqualTo("é");
        }

        @Test
        void anUnknownIdTraps() {
            ProcessFunctions p = capsule("unknown", "true");
            assertHostError(() -> p.readProcessLogsHost(id(42))).hasMessage("no background process with id 42");
            assertHostError(() -> p.readProcessLogsHost(b("{\"id\":18446744073709551615}")))
                    .hasMessage("no background process with id 18446744073709551615");
        }
    }

    // ---- astrid_kill_process_host --------------------------------------------------------------

    /** {@code astrid_kill_process_host}: ends the tree and answers the last output. */
    @Nested
    class Kill {
        @Test
        void killEndsTheTreeEvenWhenItIgnoresSigtermAndAnswersTheLastOutput() throws Exception {
            ProcessFunctions p = capsule("victim", "sh");
            String m = marker();
            long id = background(p, "sh", "-c", "trap '' TERM INT; echo one; sleep 3600." + m + " & "
                    + "while [ ! -e go ]; do sleep 0.02; done; echo two; touch said; wait", "tag-" + m);
            assertThat(HostProcesses.awaitSleeping(m, 1, PATIENCE)).isTrue();
            logsUntil(p, id, r -> r.get("stdout").equals("one\n"));
            Files.writeString(host.workspace().resolve("go"), "");
            assertThat(HostProcesses.await(PATIENCE, () -> Files.exists(host.workspace().resolve("said")))).isTrue();
            Map<String, Object> killed = json(p.killProcessHost(id(id)));
            assertThat(killed).containsEntry("killed", true).containsEntry("exit_code", null)
                    .containsEntry("stdout", "two\n").containsEntry("stderr", "");
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("left: %s", HostProcesses.pids(m)).isTrue();
            assertHostError(() -> p.readProcessLogsHost(id(id))).hasMessage("no background process with id " + id);
            assertHostError(() -> p.killProcessHost(id(id))).hasMessage("no background process with id " + id);
        }

        @Test
        void killAfterTheProcessEndedAnswersItsExitCode() {
            ProcessFunctions p = capsule("done", "sh");
            long id = background(p, "sh", "-c", "echo bye; exit 5");
            logsUntil(p, id, ProcessProviderContract::ended);
            assertThat(json(p.killProcessHost(id(id))))
                    .isEqualTo(Map.of("killed", true, "exit_code", 5L, "stdout", "", "stderr", ""));
        }

        @Test
        void anUnknownIdTraps() {
            ProcessFunctions p = capsule("nobody", "true");
            assertHostError(() -> p.killProcessHost(id(1))).hasMessage("no background process with id 1");
        }
    }

    // ---- bad requests and refusals -------------------------------------------------------------

    /** Bad requests, denied commands and the install phase: clear traps, nothing started. */
    @Nested
    class Refusals {
        @Test
        void malformedRequestsTrapWithOneClearReason() {
            ProcessFunctions p = capsule("parser", "echo");
            List<byte[]> bad = List.of(b(""), b("{"), b("[]"), b("\"echo\""), b("{\"args\":[]}"), b("{\"cmd\":1}"),
                    b("{\"cmd\":\"\"}"), b("{\"cmd\":\"echo\",\"args\":\"x\"}"), b("{\"cmd\":\"echo\",\"args\":[1]}"),
                    b("{\"cmd\":\"echo\",\"args\":[null]}"), b("{\"cmd\":\"echo\"} x"),
                    b("{\"cmd\":\"echo\",\"args\":[\"\\ud800\"]}"), b("{\"cmd\":\"echo\",\"args\":[\"a\\u0000b\"]}"),
                    new byte[] {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xff, '"', '}'},
                    b("[".repeat(300) + "]".repeat(300)));
            for (byte[] request : bad) {
                for (boolean fg : new boolean[] {true, false}) {
                    Throwable t = catchThrowable(() -> {
                        if (fg) {
                            p.spawnHost(request);
                        } else {
                            p.spawnBackgroundHost(request);
                        }
                    });
                    assertThat(t).as("request %s", s(request)).isInstanceOf(HostException.class)
                            .hasMessageStartingWith("failed to parse process request: ")
                            .hasMessageNotContaining("Exception").hasMessageNotContaining("path $")
                            .hasMessageNotContaining("setStrictness");
                }
            }
            assertThat(background(p, "echo")).as("nothing was started, no id taken").isEqualTo(1L);
        }

        @Test
        void malformedIdsTrap() {
            ProcessFunctions p = capsule("ids", "true");
            for (String request : List.of("", "{}", "{\"id\":-1}", "{\"id\":1.5}", "{\"id\":\"1\"}", "{\"id\":null}",
                    "{\"id\":18446744073709551616}", "{\"id\":1e2}", "[1]")) {
                assertHostError(() -> p.readProcessLogsHost(b(request))).as(request)
                        .hasMessageStartingWith("failed to parse process request: ");
                assertHostError(() -> p.killProcessHost(b(request))).as(request)
                        .hasMessageStartingWith("failed to parse process request: ");
            }
        }

        @Test
        void onlyCommandsNamedExactlyInHostProcessRun() {
            ProcessFunctions p = capsule("strict", "echo");
            for (String cmd : List.of("sh", "/bin/echo", "echo ", "echo /../sh", "ECHO", "./echo")) {
                assertHostError(() -> p.spawnHost(command(cmd, "-c", "touch ran"))).as(cmd)
                        .hasMessageStartingWith("security denied host_process");
            }
            assertThat(host.workspace().resolve("ran")).doesNotExist();
        }

        @Test
        void aCapsuleWithoutHostProcessRunsNothing() {
            ProcessFunctions p = capsule(host.capsule("plain").settings(settings()).build());
            assertHostError(() -> p.spawnHost(command("echo", "x"))).hasMessageStartingWith("security denied host_process");
            assertHostError(() -> p.spawnBackgroundHost(command("echo", "x")))
                    .hasMessageStartingWith("security denied host_process");
        }

        @Test
        void aCommandThatIsNoProgramTrapsClearly() {
            ProcessFunctions p = capsule("missing", "no-such-program-astrid", "./not-there.sh");
            assertHostError(() -> p.spawnHost(command("no-such-program-astrid")))
                    .hasMessageContaining("no program 'no-such-program-astrid'");
            assertHostError(() -> p.spawnBackgroundHost(command("./not-there.sh")))
                    .hasMessageContaining("'./not-there.sh' is not an executable file");
            assertThat(background(capsule("fresh", "true"), "true")).isEqualTo(1L);
        }

        @Test
        void aRelativePathIsTakenFromTheWorkspace() throws Exception {
            Path script = host.workspace().resolve("tool.sh");
            Files.writeString(script, "#!/bin/sh\necho \"tool $1\"\n");
            assertThat(script.toFile().setExecutable(true)).isTrue();
            ProcessFunctions p = capsule("tools", "./tool.sh");
            assertThat(json(p.spawnHost(command("./tool.sh", "ran"))).get("stdout")).isEqualTo("tool ran\n");
        }

        @Test
        void noProcessRunsDuringInstallOrUpgrade() {
            TestCapsule c = host.capsule("installer").capabilities(Capabilities.builder().hostProcess("echo").build())
                    .settings(settings()).build();
            ProcessFunctions p = capsule(c);
            for (String export : List.of("astrid_install", "astrid_upgrade")) {
                c.setInvocation(new Invocation(export, Invocation.Caller.NONE));
                assertHostError(() -> p.spawnHost(command("echo"))).hasMessageContaining(export);
                assertHostError(() -> p.spawnBackgroundHost(command("echo"))).hasMessageContaining(export);
            }
            c.setInvocation(new Invocation("run", Invocation.Caller.NONE));
            assertThat(json(p.spawnHost(command("echo", "ok"))).get("stdout")).isEqualTo("ok\n");
        }
    }

    // ---- unload and close ----------------------------------------------------------------------

    /** Nothing outlives the capsule or the provider. */
    @Nested
    class Cleanup {
        @Test
        void unloadingKillsEveryBackgroundTreeAndLaterCallsTrap() throws Exception {
            ProcessFunctions p = capsule("unload", "sh");
            String m = marker();
            background(p, "sh", "-c", "sleep 3600." + m + " & wait", "tag-" + m);
            background(p, "sh", "-c", "trap '' TERM; sleep 3600." + m + " & wait", "tag-" + m);
            assertThat(HostProcesses.awaitSleeping(m, 2, PATIENCE)).as("two scripts and two children").isTrue();
            ((AutoCloseable) p).close();
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("left: %s", HostProcesses.pids(m)).isTrue();
            assertHostError(() -> p.spawnHost(command("sh", "-c", "true"))).hasMessageContaining("unloaded");
            assertHostError(() -> p.readProcessLogsHost(id(1))).hasMessageContaining("unloaded");
        }

        @Test
        void closingTheProviderKillsEveryCapsulesProcesses() {
            String m = marker();
            background(capsule("one", "sh"), "sh", "-c", "sleep 3600." + m + " & wait", "tag-" + m);
            background(capsule("two", "sleep"), "sleep", "3600." + m);
            assertThat(HostProcesses.awaitSleeping(m, 2, PATIENCE)).isTrue();
            provider.close();
            assertThat(HostProcesses.awaitGone(m, PATIENCE)).as("left: %s", HostProcesses.pids(m)).isTrue();
        }

        @Test
        void noThreadOfTheProviderOutlivesItsProcesses() {
            Set<Long> before = threadIds();
            ProcessFunctions p = capsule("threads", "sh", "echo");
            p.spawnHost(command("echo", "x"));
            String m = marker();
            background(p, "sh", "-c", "echo hi; sleep 3600." + m);
            long done = background(p, "echo", "bye");
            logsUntil(p, done, ProcessProviderContract::ended);
            provider.close();
            // The JDK's own process reaper threads idle for a minute after a process ends; they are not the provider's.
            boolean ended = HostProcesses.await(PATIENCE, () -> newThreads(before).isEmpty());
            assertThat(ended).as("threads left: %s", newThreads(before)).isTrue();
        }

        private Set<Long> threadIds() {
            return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
        }

        private List<String> newThreads(Set<Long> before) {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t.getId()) && t.isAlive() && !t.getName().startsWith("process reaper"))
                    .map(Thread::getName).collect(Collectors.toList());
        }
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
