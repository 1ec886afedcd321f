package dev.astrid.host.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several capsule threads writing at once: every write lands, none is half-done. */
class IdentityStoreConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 25;

    @TempDir
    Path dir;

    @Test
    void concurrentWritersAllLand() throws Exception {
        Path file = dir.resolve("identity.db");
        List<List<UUID>> created = new ArrayList<>();
        try (IdentityStore store = IdentityStore.open(file)) {
            store.ensureBootstrapUser();
            created = runConcurrently(THREADS, t -> {
                List<UUID> mine = new ArrayList<>();
                for (int i = 0; i < ROUNDS; i++) {
                    AstridUser user = store.createUser(Optional.of("t" + t + "-" + i));
                    store.link("thread" + t, Integer.toString(i), user.id(), "test");
                    store.link("shared", "account", user.id(), "race");      // everyone overwrites one link
                    store.link("gone", t + "-" + i, user.id(), "test");
                    store.unlink("gone", t + "-" + i);
                    assertThat(store.resolve("thread" + t, Integer.toString(i))).contains(user);
                    assertThat(store.resolve("cli", "local")).isPresent();  // readers interleave with writers
                    mine.add(user.id());
                }
                return mine;
            });
        }

        try (IdentityStore reopened = IdentityStore.open(file)) {
            Set<UUID> all = created.stream().flatMap(List::stream).collect(Collectors.toSet());
            assertThat(all).hasSize(THREADS * ROUNDS);
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < ROUNDS; i++) {
                    UUID expected = created.get(t).get(i);
                    assertThat(reopened.resolve("thread" + t, Integer.toString(i)))
                            .map(AstridUser::id).contains(expected);
                    assertThat(reopened.resolve("gone", t + "-" + i)).isEmpty();
                }
            }
            UUID sharedOwner = reopened.resolve("shared", "account").orElseThrow().id();
            assertThat(all).contains(sharedOwner);
            assertThat(reopened.listLinks(sharedOwner)).extracting(PlatformLink::platform)
                    .containsExactlyInAnyOrder("shared", sharedOwnerThread(created, sharedOwner));
        }
    }

    private static String sharedOwnerThread(List<List<UUID>> created, UUID owner) {
        for (int t = 0; t < created.size(); t++) {
            if (created.get(t).contains(owner)) {
                return "thread" + t;
            }
        }
        throw new AssertionError("owner " + owner + " was never created");
    }

    /** Runs one task per thread, all released at once, and returns their results in thread order. */
    private static <T> List<T> runConcurrently(int threads, ThreadTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Callable<T> call = () -> {
                    start.await();
                    return task.run(id);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private interface ThreadTask<T> {
        T run(int thread) throws Exception;
    }
}
