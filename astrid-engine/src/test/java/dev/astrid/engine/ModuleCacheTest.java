package dev.astrid.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk module cache with real guests compiled by the real engine. */
class ModuleCacheTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ModuleCache cache(long maxBytes) {
        return new ModuleCache(dir.resolve("cache").resolve("modules"), dir.resolve("keys").resolve("module-cache.key"),
                maxBytes);
    }

    private EngineOptions options() {
        return EngineOptions.DEFAULT.withCache(cache(ModuleCache.DEFAULT_MAX_BYTES));
    }

    private List<Path> entries() {
        Path d = dir.resolve("cache").resolve("modules");
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path onlyEntry() {
        List<Path> e = entries();
        assertThat(e).hasSize(1);
        assertThat(e.get(0).getFileName().toString()).endsWith(".entry");
        return e.get(0);
    }

    /** A set of calls whose results (outputs, or the kind of failure) are compared between two loads. */
    private static List<String> countVowelsRun(GuestModule m) {
        List<String> results = new ArrayList<>();
        GuestLinks links = GuestLinks.builder().config(Map.of("vowels", "aeiou")).build();
        try (Guest g = Guest.instantiate(m, links, T)) {
            for (String input : List.of("Hello, World", "aaaa", "", "xyz", "Mississippi")) {
                results.add(new String(g.call("count_vowels", input.getBytes(StandardCharsets.UTF_8),
                        Invocation.Caller.NONE, T), StandardCharsets.UTF_8));
            }
        }
        return results;
    }

    private static List<String> kernelProbeRun(GuestModule m) {
        List<String> results = new ArrayList<>();
        try (Guest g = Guest.instantiate(m, GuestLinks.builder().build(), T)) {
            results.add(new String(g.call("echo", "ok".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T),
                    StandardCharsets.UTF_8));
            for (String export : List.of("trap", "nonzero", "fail")) {
                try {
                    results.add(new String(g.call(export, new byte[0], Invocation.Caller.NONE, T), StandardCharsets.UTF_8));
                } catch (GuestCallException e) {
                    results.add(export + " -> " + e.kind());
                }
            }
        }
        return results;
    }

    @Test
    void aSecondLoadIsServedFromTheCacheAndBehavesTheSame() {
        GuestModule first = GuestModule.compile("count-vowels", GuestTest.guest("count-vowels"), options());
        assertThat(first.fromCache()).isFalse();
        onlyEntry();
        GuestModule second = GuestModule.compile("count-vowels", GuestTest.guest("count-vowels"), options());
        assertThat(second.fromCache()).isTrue();
        List<String> expected = countVowelsRun(first);
        assertThat(expected.get(0)).isEqualTo("{\"count\":3,\"total\":3,\"vowels\":\"aeiou\"}");
        assertThat(countVowelsRun(second)).isEqualTo(expected);

        GuestModule probe = GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        GuestModule probeAgain = GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        assertThat(probe.fromCache()).isFalse();
        assertThat(probeAgain.fromCache()).isTrue();
        assertThat(kernelProbeRun(probeAgain)).isEqualTo(kernelProbeRun(probe)).contains("trap -> TRAP");
    }

    @Test
    void theCacheIsPrivateToItsOwner() throws IOException {
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        if (Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache").resolve("modules"))))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(onlyEntry()))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache(0).keyFile())))
                    .isEqualTo("rw-------");
        }
    }

    /** Damages the entry, then checks that the next load compiles, still works and leaves a valid entry behind. */
    private void assertRecompiledAndReplaced(byte[] damagedEntry) throws IOException {
        Files.write(onlyEntry(), damagedEntry);
        GuestModule m = GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        assertThat(m.fromCache()).isFalse();
        assertThat(kernelProbeRun(m)).startsWith("ok");
        assertThat(Files.readAllBytes(onlyEntry())).isNotEqualTo(damagedEntry);
        assertThat(GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options()).fromCache()).isTrue();
    }

    @Test
    void aCorruptOrTruncatedEntryIsRecompiledAndReplaced() throws IOException {
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        byte[] good = Files.readAllBytes(onlyEntry());

        byte[] flippedPayload = good.clone();
        flippedPayload[flippedPayload.length / 2] ^= 0x01;
        assertRecompiledAndReplaced(flippedPayload);

        byte[] flippedMac = good.clone();
        flippedMac[10] ^= (byte) 0x80;
        assertRecompiledAndReplaced(flippedMac);

        assertRecompiledAndReplaced(java.util.Arrays.copyOf(good, good.length - 1));
        assertRecompiledAndReplaced(java.util.Arrays.copyOf(good, 12));
        assertRecompiledAndReplaced(new byte[0]);
    }

    @Test
    void anEntrySealedWithAnotherKeyIsNotTrusted() throws IOException {
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        byte[] sealedWithOldKey = Files.readAllBytes(onlyEntry());
        byte[] otherKey = new byte[32];
        new java.security.SecureRandom().nextBytes(otherKey);
        Files.write(cache(0).keyFile(), otherKey);
        assertRecompiledAndReplaced(sealedWithOldKey);
    }

    @Test
    void aTornKeyFileIsReplacedAndEntriesSealedWithTheOldKeyAreRecompiled() throws IOException {
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        byte[] sealedWithOldKey = Files.readAllBytes(onlyEntry());
        Files.write(cache(0).keyFile(), new byte[5]);
        assertRecompiledAndReplaced(sealedWithOldKey);
        assertThat(Files.size(cache(0).keyFile())).isEqualTo(32);
    }

    @Test
    void anotherModulesEntryUnderThisModulesNameIsNotTrusted() throws IOException {
        GuestModule.compile("count-vowels", GuestTest.guest("count-vowels"), options());
        byte[] foreign = Files.readAllBytes(onlyEntry());
        Files.delete(onlyEntry());
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        assertRecompiledAndReplaced(foreign);
    }

    @Test
    void aKeyFileOthersMayReadTurnsTheCacheOff() throws IOException {
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        Path key = cache(0).keyFile();
        if (Files.getFileAttributeView(key, java.nio.file.attribute.PosixFileAttributeView.class) == null) {
            return;
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        GuestModule m = GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        assertThat(m.fromCache()).isFalse();
        assertThat(kernelProbeRun(m)).startsWith("ok");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options()).fromCache()).isTrue();
    }

    @Test
    void evictionKeepsTheBoundAndDropsTheLeastRecentlyUsed() throws IOException {
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options());
        long probeSize = Files.size(onlyEntry());
        Files.delete(onlyEntry());
        GuestModule.compile("count-vowels", GuestTest.guest("count-vowels"), options());
        long vowelsSize = Files.size(onlyEntry());
        Files.delete(onlyEntry());

        // Room for the two smaller modules' entries, not for a third.
        long bound = probeSize + vowelsSize + 16;
        EngineOptions bounded = EngineOptions.DEFAULT.withCache(cache(bound));
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), bounded);
        Path probeEntry = onlyEntry();
        Files.setLastModifiedTime(probeEntry, FileTime.from(Instant.now().minusSeconds(3600)));
        GuestModule.compile("count-vowels", GuestTest.guest("count-vowels"), bounded);
        assertThat(entries()).hasSize(2);
        GuestModule.compile("notes", GuestTest.guest("notes"), bounded);

        long total = 0;
        for (Path p : entries()) {
            total += Files.size(p);
        }
        assertThat(total).isLessThanOrEqualTo(bound);
        assertThat(entries()).doesNotContain(probeEntry);
        assertThat(GuestModule.compile("notes", GuestTest.guest("notes"), bounded).fromCache()).isTrue();
    }

    @Test
    void anEntryLargerThanTheBoundIsNotStored() {
        GuestModule m = GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"),
                EngineOptions.DEFAULT.withCache(cache(64)));
        assertThat(kernelProbeRun(m)).startsWith("ok");
        assertThat(entries()).isEmpty();
    }

    @Test
    void withoutACacheOrOnTheInterpreterNothingIsWritten() throws IOException {
        GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), EngineOptions.DEFAULT);
        GuestModule m = GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"), options().withInterpreter(true));
        assertThat(m.fromCache()).isFalse();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void twoCompilesOfTheSameModuleAtOnceLeaveOneValidEntry() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return countVowelsRun(GuestModule.compile("count-vowels", GuestTest.guest("count-vowels"), options()));
                }));
            }
            start.countDown();
            List<String> a = runs.get(0).get(60, TimeUnit.SECONDS);
            assertThat(runs.get(1).get(60, TimeUnit.SECONDS)).isEqualTo(a);
        } finally {
            pool.shutdownNow();
        }
        onlyEntry();
        GuestModule again = GuestModule.compile("count-vowels", GuestTest.guest("count-vowels"), options());
        assertThat(again.fromCache()).isTrue();
        assertThat(countVowelsRun(again).get(0)).isEqualTo("{\"count\":3,\"total\":3,\"vowels\":\"aeiou\"}");
    }
}
