package dev.astrid.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestCallException.Kind;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.HttpFunctions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The instance pool with a real guest: every call blocks in a host function ({@code astrid_http_request}
 * of the ABI driver) until the test lets it go, so which calls run at the same time is observed,
 * not timed.
 */
class GuestPoolTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final byte[] HTTP = CallDeadlineTest.invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'});

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** A host function that records how many calls are inside it and waits for {@code release}. */
    private static final class Gate implements HttpFunctions {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch entered;
        final CountDownLatch release = new CountDownLatch(1);

        Gate(int expect) {
            entered = new CountDownLatch(expect);
        }

        @Override
        public byte[] httpRequest(byte[] request) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread());
            entered.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new HostException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("interrupted");
            } finally {
                inside.decrementAndGet();
            }
            return new byte[0];
        }
    }

    private static GuestPool pool(Gate gate, int size) {
        GuestModule m = GuestModule.compile("abi-driver", GuestTest.guest("abi-driver"), EngineOptions.DEFAULT);
        return GuestPool.create(m, GuestLinks.builder().family(Family.HTTP, gate).build(), size, T);
    }

    private List<Future<byte[]>> start(GuestPool p, int callers, Duration timeout) {
        List<Future<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            calls.add(threads.submit(() -> p.call("invoke", HTTP, Invocation.Caller.NONE, timeout)));
        }
        return calls;
    }

    @Test
    void nCallersRunInParallelOnNInstances() throws Exception {
        int n = 4;
        Gate gate = new Gate(n);
        try (GuestPool p = pool(gate, n)) {
            assertThat(p.instances()).isEqualTo(1);
            List<Future<byte[]>> calls = start(p, n, T);
            // All four are inside the host function at once: only possible on four instances.
            assertThat(gate.entered.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(gate.inside.get()).isEqualTo(n);
            assertThat(gate.threads).hasSize(n);
            assertThat(p.instances()).isEqualTo(n);
            gate.release.countDown();
            for (Future<byte[]> f : calls) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }

    @Test
    void theBoundIsRespectedAndCallersBeyondItWaitForAFreeInstance() throws Exception {
        Gate gate = new Gate(2);
        try (GuestPool p = pool(gate, 2)) {
            List<Future<byte[]>> calls = start(p, 5, T);
            assertThat(gate.entered.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.instances()).isEqualTo(2);
            gate.release.countDown();
            for (Future<byte[]> f : calls) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEmpty();
            }
            assertThat(gate.most.get()).isEqualTo(2);
            assertThat(p.instances()).isEqualTo(2);
        }
    }

    @Test
    void aCallerThatFindsNoFreeInstanceInTimeTimesOut() throws Exception {
        Gate gate = new Gate(1);
        try (GuestPool p = pool(gate, 2)) {
            List<Future<byte[]>> first = start(p, 1, T);
            assertThat(gate.entered.await(60, TimeUnit.SECONDS)).isTrue();
            gate.entered = new CountDownLatch(1);
            start(p, 1, T);
            assertThat(gate.entered.await(60, TimeUnit.SECONDS)).isTrue();
            GuestCallException e = catchThrowableOfType(GuestCallException.class,
                    () -> p.call("invoke", HTTP, Invocation.Caller.NONE, Duration.ofMillis(100)));
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e).hasMessageContaining("waiting for a free instance of abi-driver");
            gate.release.countDown();
            assertThat(first.get(0).get(60, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void closeFailsRunningAndWaitingCallsAsUnloaded() throws Exception {
        Gate gate = new Gate(2);
        GuestPool p = pool(gate, 2);
        List<Future<byte[]>> calls = start(p, 4, Duration.ZERO);
        assertThat(gate.entered.await(60, TimeUnit.SECONDS)).isTrue();
        p.close();
        for (Future<byte[]> f : calls) {
            java.util.concurrent.ExecutionException e = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                    () -> f.get(60, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOfSatisfying(GuestCallException.class,
                    g -> assertThat(g.kind()).isEqualTo(Kind.UNLOADED));
        }
        assertThatThrownBy(() -> p.call("invoke", HTTP, Invocation.Caller.NONE, T))
                .isInstanceOfSatisfying(GuestCallException.class, g -> assertThat(g.kind()).isEqualTo(Kind.UNLOADED));
    }

    @Test
    void aCallFromInsideACallIsReentrantNotADeadlock() throws Exception {
        java.util.concurrent.atomic.AtomicReference<GuestPool> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<GuestCallException> nested = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Invocation> seen = new java.util.concurrent.atomic.AtomicReference<>();
        HttpFunctions http = request -> {
            seen.set(self.get().currentInvocation());
            nested.set(catchThrowableOfType(GuestCallException.class,
                    () -> self.get().call("invoke", HTTP, Invocation.Caller.NONE, T)));
            return new byte[0];
        };
        GuestModule m = GuestModule.compile("abi-driver", GuestTest.guest("abi-driver"), EngineOptions.DEFAULT);
        try (GuestPool p = GuestPool.create(m, GuestLinks.builder().family(Family.HTTP, http).build(), 3, T)) {
            self.set(p);
            p.call("invoke", HTTP, Invocation.Caller.NONE, T);
            assertThat(nested.get().kind()).isEqualTo(Kind.REENTRANT);
            assertThat(seen.get().export()).isEqualTo("invoke");
            assertThat(p.currentInvocation()).isEqualTo(Invocation.NONE);
        }
    }

    @Test
    void aPoolHoldsAtLeastOneInstance() {
        GuestModule m = GuestModule.compile("abi-driver", GuestTest.guest("abi-driver"), EngineOptions.DEFAULT);
        assertThatThrownBy(() -> GuestPool.create(m, GuestLinks.builder().build(), 0, T))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
