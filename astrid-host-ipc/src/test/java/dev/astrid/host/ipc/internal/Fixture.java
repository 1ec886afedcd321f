package dev.astrid.host.ipc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.TestCapsule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.AbstractThrowableAssert;

/** A bus, a test host, and helpers shared by the internal tests. Closes what it bound. */
final class Fixture implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    final Bus bus;
    final TestCapsule.Host host;
    private final List<CapsuleIpc> opened = new ArrayList<>();

    Fixture(Path root) {
        this(root, Clock.systemUTC());
    }

    Fixture(Path root, Clock clock) {
        this.bus = new Bus(clock);
        this.host = new TestCapsule.Host(root);
    }

    /** A capsule with IPC capabilities and settings. */
    TestCapsule capsule(String id, List<String> publish, List<String> subscribe, ProviderSettings settings,
            Clock clock) {
        return host.capsule(id)
                .capabilities(Capabilities.builder().ipcPublish(publish.toArray(String[]::new))
                        .ipcSubscribe(subscribe.toArray(String[]::new)).build())
                .settings(settings).clock(clock).build();
    }

    TestCapsule capsule(String id, List<String> publish, List<String> subscribe) {
        return capsule(id, publish, subscribe, ProviderSettings.empty(), Clock.systemUTC());
    }

    CapsuleIpc bind(TestCapsule capsule) {
        CapsuleIpc ipc = CapsuleIpc.bind(capsule, bus);
        opened.add(ipc);
        return ipc;
    }

    @Override
    public void close() {
        for (CapsuleIpc c : opened) {
            c.close();
        }
        bus.close();
    }

    // ---- bytes and JSON ------------------------------------------------------------------------

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static JsonObject json(byte[] bytes) {
        return JsonParser.parseString(s(bytes)).getAsJsonObject();
    }

    static JsonElement parse(String s) {
        return JsonParser.parseString(s);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertHostError(Runnable action) {
        Throwable t = catchThrowable(action::run);
        return assertThat(t).as("expected a HostException").isInstanceOf(HostException.class);
    }

    // ---- threads -------------------------------------------------------------------------------

    /** A task on its own thread. */
    record Background<V>(Thread thread, FutureTask<V> future) {
        static <V> Background<V> start(String name, Callable<V> task) {
            FutureTask<V> f = new FutureTask<>(task);
            Thread t = new Thread(f, name);
            t.setDaemon(true);
            t.start();
            return new Background<>(t, f);
        }

        V get() throws Exception {
            try {
                return future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                throw new AssertionError("task did not finish within " + PATIENCE, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception) {
                    throw (Exception) e.getCause();
                }
                throw e;
            }
        }
    }

    /** Waits, yielding, until a condition holds; fails after {@link #PATIENCE} (a hang guard). */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("never happened: " + what);
            }
            Thread.yield();
        }
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
