package dev.astrid.host.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathGateTest {
    private final Path ws = Path.of("/srv/ws");
    private final Path home = Path.of("/srv/home");

    @Test
    void starCoversTheWorkspaceOnly() {
        PathGate gate = PathGate.resolve(List.of("*"), ws, Optional.of(home));
        assertThat(gate.allows(Path.of("/srv/ws/a/b.txt"))).isTrue();
        assertThat(gate.allows(Path.of("/srv/ws"))).isTrue();
        assertThat(gate.allows(Path.of("/srv/home/x"))).isFalse();
        assertThat(gate.allows(Path.of("/srv/wsx/a"))).as("component boundary").isFalse();
    }

    @Test
    void schemesResolveAgainstTheirRoots() {
        PathGate gate = PathGate.resolve(List.of("workspace://docs", "home://shared", "cwd://tmp"), ws, Optional.of(home));
        assertThat(gate.allows(Path.of("/srv/ws/docs/readme"))).isTrue();
        assertThat(gate.allows(Path.of("/srv/ws/tmp/x"))).isTrue();
        assertThat(gate.allows(Path.of("/srv/ws/src/x"))).isFalse();
        assertThat(gate.allows(Path.of("/srv/home/shared/a"))).isTrue();
        assertThat(gate.allows(Path.of("/srv/home/other"))).isFalse();
    }

    @Test
    void homeEntriesAreDroppedWithoutAHomeRoot() {
        PathGate gate = PathGate.resolve(List.of("global://"), ws, Optional.empty());
        assertThat(gate.prefixes()).isEmpty();
        assertThat(gate.allows(Path.of("/srv/home/a"))).isFalse();
    }

    @Test
    void dotDotIsNeverAllowedAndEmptyDeniesAll() {
        PathGate gate = PathGate.resolve(List.of("/"), ws, Optional.of(home));
        assertThat(gate.allows(Path.of("/etc/passwd"))).isTrue();
        assertThat(gate.allows(Path.of("/srv/ws/../x"))).isFalse();
        assertThat(PathGate.resolve(List.of(), ws, Optional.of(home)).allows(Path.of("/srv/ws/a"))).isFalse();
    }
}
