package dev.astrid.host.process;

import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.CapsuleHandle;
import dev.astrid.host.spi.CapsuleRegistry;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.UplinkConsumer;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.tck.TestCapsule;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link TestCapsule} whose host-side log lines are kept, so that a test can see the load-time
 * warning: {@link #warnings} holds those of level WARNING and above, {@link #infos} those of level INFO.
 */
final class LoggedCapsule implements CapsuleContext {
    private final TestCapsule c;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> infos = new CopyOnWriteArrayList<>();

    LoggedCapsule(TestCapsule c) {
        this.c = c;
    }

    @Override
    public System.Logger logger() {
        return new System.Logger() {
            @Override
            public String getName() {
                return "astrid.test.logged";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                record(level, msg);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                record(level, params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params));
            }

            @Override
            public void log(Level level, Supplier<String> msg) {
                record(level, msg.get());
            }
        };
    }

    private void record(System.Logger.Level level, String msg) {
        if (level.getSeverity() >= System.Logger.Level.WARNING.getSeverity()) {
            warnings.add(msg);
        } else if (level == System.Logger.Level.INFO) {
            infos.add(msg);
        }
    }

    @Override public String capsuleId() { return c.capsuleId(); }
    @Override public String stateNamespace() { return c.stateNamespace(); }
    @Override public UUID sessionId() { return c.sessionId(); }
    @Override public CapsuleManifest manifest() { return c.manifest(); }
    @Override public Map<String, String> config() { return c.config(); }
    @Override public ProviderSettings settings() { return c.settings(); }
    @Override public Path hostDataDir() { return c.hostDataDir(); }
    @Override public Path capsuleDataDir() { return c.capsuleDataDir(); }
    @Override public Path workspace() { return c.workspace(); }
    @Override public Clock clock() { return c.clock(); }
    @Override public CapsuleHandle self() { return c.self(); }
    @Override public CapsuleRegistry capsules() { return c.capsules(); }
    @Override public Invocation currentInvocation() { return c.currentInvocation(); }
    @Override public void markReady() { c.markReady(); }
    @Override public UplinkConsumer uplinkConsumer() { return c.uplinkConsumer(); }
}
