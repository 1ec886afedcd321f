package dev.astrid.reference.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the harness measures around a run: threads, open files, heap, and the state of directory trees. */
final class Probes {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private Probes() {}

    /** The ids of the live threads. */
    static Set<Long> threadIds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }

    /**
     * Waits up to {@code limit} for every thread started since {@code baseline} to end, and
     * answers those that are still alive. The JDK's shared fork-join pool and its process reaper
     * threads (which idle for a minute after the process they waited for ended) are not the
     * host's, and are left out.
     */
    static List<String> threadsLeftSince(Set<Long> baseline, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (baseline.contains(t.getId()) || t.getName().startsWith("ForkJoinPool.commonPool")
                    || t.getName().startsWith("process reaper")) {
                continue;
            }
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                left.add(t.getName() + " (" + t.getState() + ")");
            }
        }
        return left;
    }

    /** The open file descriptors of this process and what each points to. */
    static Map<Integer, String> openFds() {
        Map<Integer, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(FD_DIR)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    continue; // closed between the listing and the read (the listing's own descriptor)
                }
                out.put(Integer.parseInt(p.getFileName().toString()), target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Targets open now that were not open before, counting each target as often as it is open. */
    static List<String> opened(Map<Integer, String> before, Map<Integer, String> now) {
        Map<String, Integer> was = new java.util.HashMap<>();
        before.values().forEach(t -> was.merge(t, 1, Integer::sum));
        List<String> out = new ArrayList<>();
        for (String t : now.values()) {
            if (was.merge(t, -1, Integer::sum) < 0) {
                out.add(t);
            }
        }
        return out;
    }

    /** Heap in use after full collections, in bytes. */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Runtime r = Runtime.getRuntime();
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }

    /** Resident set size of the process (VmRSS), in bytes. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** Polls a condition until it holds or the limit passes; answers whether it held. */
    static boolean await(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return true;
    }

    /**
     * Every entry below {@code root} (links not followed) with its kind, size and content hash, by
     * path relative to the root; entries {@code skip} accepts are left out with what lies below.
     */
    static Map<String, String> tree(Path root, Predicate<Path> skip) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path rel = root.relativize(p);
                if (skip.test(rel) || startsWithSkipped(rel, skip)) {
                    continue;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what;
                if (a.isSymbolicLink()) {
                    what = "link -> " + Files.readSymbolicLink(p);
                } else if (a.isDirectory()) {
                    what = "dir";
                } else if (a.isRegularFile()) {
                    what = "file " + a.size() + " " + sha256(p) + " " + a.lastModifiedTime().toMillis();
                } else {
                    what = "other";
                }
                out.put(rel.toString(), what);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static boolean startsWithSkipped(Path rel, Predicate<Path> skip) {
        for (int i = 1; i < rel.getNameCount(); i++) {
            if (skip.test(rel.subpath(0, i))) {
                return true;
            }
        }
        return false;
    }

    /** What differs between two trees, for a failure message. */
    static String diff(Map<String, String> before, Map<String, String> after) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : after.entrySet()) {
            String was = before.get(e.getKey());
            if (!e.getValue().equals(was)) {
                sb.append(was == null ? "  created " : "  changed ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        for (String k : before.keySet()) {
            if (!after.containsKey(k)) {
                sb.append("  removed ").append(k).append('\n');
            }
        }
        return sb.toString();
    }

    private static String sha256(Path p) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            if (Files.size(p) > 64 * 1024 * 1024) {
                return "(large)";
            }
            return HexFormat.of().formatHex(d.digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
