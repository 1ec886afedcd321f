package dev.astrid.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.GuestCallException.Kind;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.HttpFunctions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls made on a {@link CallerThreads} thread run on that thread, not on the guest's own, and keep
 * every property the guest's own thread gives: stack exhaustion traps, a timeout or an unload
 * interrupts the call, globals are restored after a failure, a call from inside a call is handed
 * off, and the caller's thread is left as it was.
 */
class DirectCallTest {
    private static final Duration T = Duration.ofSeconds(10);
    private final ExecutorService callers = Executors.newSingleThreadExecutor(
            CallerThreads.factory("test-caller", EngineOptions.DEFAULT.stackBytes()));

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    private <V> V onCaller(Callable<V> task) throws Exception {
        try {
            return callers.submit(task).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    private static GuestModule probe(boolean interpreter) {
        return GuestModule.compile("kernel-probe", GuestTest.guest("kernel-probe"),
                EngineOptions.DEFAULT.withInterpreter(interpreter));
    }

    private static GuestCallException failure(Guest g, String export, Duration timeout) {
        return catchThrowableOfType(GuestCallException.class,
                () -> g.call(export, new byte[0], Invocation.Caller.NONE, timeout));
    }

    @Test
    void aCallRunsOnTheCallersThreadWithTheSameOutcomes() throws Exception {
        for (boolean interpreter : new boolean[] {false, true}) {
            sameOutcomes(interpreter);
        }
    }

    private void sameOutcomes(boolean interpreter) throws Exception {
        try (Guest g = Guest.instantiate(probe(interpreter), GuestLinks.builder().build(), T)) {
            onCaller(() -> {
                assertThat(CallerThreads.isCallerThread()).isTrue();
                assertThat(g.call("echo", "ok".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T))
                        .asString().isEqualTo("ok");
                GuestCallException deep = failure(g, "recurse", T);
                assertThat(deep.kind()).isEqualTo(Kind.TRAP);
                assertThat(deep.getMessage()).contains("stack");
                long sp = le64(g.call("get_sp", new byte[0], Invocation.Caller.NONE, T));
                for (int i = 0; i < 50; i++) {
                    assertThat(failure(g, "leak_sp", T).kind()).isEqualTo(Kind.TRAP);
                }
                assertThat(le64(g.call("get_sp", new byte[0], Invocation.Caller.NONE, T))).isEqualTo(sp);
                GuestCallException slow = failure(g, "spin", Duration.ofMillis(200));
                assertThat(slow.kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(slow).hasMessageContaining("timed out after 200 ms");
                // The timeout's interrupt was meant for the call, not for the thread's owner.
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
                assertThat(g.call("echo", "after".getBytes(StandardCharsets.UTF_8), Invocation.Caller.NONE, T))
                        .asString().isEqualTo("after");
                return null;
            });
        }
    }

    @Test
    void theCallRunsOnTheCallersThreadAndAHostFunctionSeesItsInvocation() throws Exception {
        AtomicReference<Guest> self = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<Invocation> seen = new AtomicReference<>();
        AtomicReference<GuestCallException> nested = new AtomicReference<>();
        HttpFunctions http = request -> {
            ranOn.set(Thread.currentThread());
            seen.set(self.get().currentInvocation());
            nested.set(catchThrowableOfType(GuestCallException.class,
                    () -> self.get().call("invoke", new byte[0], Invocation.Caller.NONE, T)));
            return new byte[0];
        };
        GuestModule m = GuestModule.compile("abi-driver", GuestTest.guest("abi-driver"), EngineOptions.DEFAULT);
        try (Guest g = Guest.instantiate(m, GuestLinks.builder().family(Family.HTTP, http).build(), T)) {
            self.set(g);
            Thread caller = onCaller(() -> {
                g.call("invoke", CallDeadlineTest.invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'}), Invocation.Caller.NONE, T);
                return Thread.currentThread();
            });
            assertThat(ranOn.get()).isSameAs(caller);
            assertThat(seen.get().export()).isEqualTo("invoke");
            assertThat(seen.get().remaining()).isPresent();
            assertThat(nested.get().kind()).isEqualTo(Kind.REENTRANT);
            // From a thread that is not a caller thread the call is handed to the guest's own thread.
            g.call("invoke", CallDeadlineTest.invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'}), Invocation.Caller.NONE, T);
            assertThat(ranOn.get()).isNotSameAs(caller).isNotSameAs(Thread.currentThread());
        }
    }

    @Test
    void unloadInterruptsACallRunningOnTheCallersThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        HttpFunctions http = request -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.astrid.host.spi.HostException("interrupted");
            }
            return new byte[0];
        };
        GuestModule m = GuestModule.compile("abi-driver", GuestTest.guest("abi-driver"), EngineOptions.DEFAULT);
        Guest g = Guest.instantiate(m, GuestLinks.builder().family(Family.HTTP, http).build(), T);
        Future<Object> running = callers.submit(() -> {
            GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> g.call("invoke",
                    CallDeadlineTest.invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'}), Invocation.Caller.NONE, Duration.ZERO));
            return e.kind() + "/" + Thread.currentThread().isInterrupted();
        });
        assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
        g.close();
        assertThat(running.get(60, TimeUnit.SECONDS)).isEqualTo(Kind.UNLOADED + "/false");
    }

    @Test
    void aTimeoutInterruptsACallBlockedInAHostFunction() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean block = new java.util.concurrent.atomic.AtomicBoolean();
        HttpFunctions http = request -> {
            if (!block.get()) {
                return new byte[0];
            }
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.astrid.host.spi.HostException("interrupted");
            }
            return new byte[0];
        };
        GuestModule m = GuestModule.compile("abi-driver", GuestTest.guest("abi-driver"), EngineOptions.DEFAULT);
        try (Guest g = Guest.instantiate(m, GuestLinks.builder().family(Family.HTTP, http).build(), T)) {
            String outcome = onCaller(() -> {
                // A first call with a long deadline, so the watch is set far ahead and must be woken.
                g.call("invoke", CallDeadlineTest.invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'}), Invocation.Caller.NONE,
                        Duration.ofHours(1));
                block.set(true);
                GuestCallException e = catchThrowableOfType(GuestCallException.class, () -> g.call("invoke",
                        CallDeadlineTest.invoke(AbiFunction.HTTP_REQUEST, new byte[] {'x'}), Invocation.Caller.NONE,
                        Duration.ofMillis(300)));
                return e.kind() + "/" + Thread.currentThread().isInterrupted();
            });
            assertThat(outcome).isEqualTo(Kind.TIMEOUT + "/false");
        } catch (TimeoutException e) {
            throw new AssertionError("the call was never interrupted", e);
        }
    }

    private static long le64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
