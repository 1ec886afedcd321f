package dev.astrid.reference.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.reference.AbiDriver;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.TestHosts;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request to astrid_check_capsule_capability that is not JSON traps with a plain reason (found by the fuzz harness). */
class CapabilityRequestTrapTest {
    @TempDir
    Path dir;

    @Test
    void malformedRequestsTrapWithOnePlainReasonAndNoGsonInternals() {
        try (AstridHost host = AstridHost.start(TestHosts.config(dir, false).build())) {
            AbiDriver d = new AbiDriver(TestHosts.loadBare(host, "abi-driver"));
            String prefix = "astrid_check_capsule_capability: check_capsule_capability failed: the request is not valid JSON";
            for (String request : new String[] {"{\"source_uuid\":\"x\",\"capability\":\"y\"}\u0000", "{}{}", "{\"a\":",
                    "[".repeat(300) + "]".repeat(300)}) {
                GuestCallException e = catchThrowableOfType(GuestCallException.class,
                        () -> d.text(AbiFunction.CHECK_CAPSULE_CAPABILITY, request));
                assertThat(e).as(request).isNotNull();
                assertThat(e.kind()).isEqualTo(GuestCallException.Kind.HOST_ERROR);
                assertThat(e.getMessage()).as(request).matches(java.util.regex.Pattern.quote(prefix)
                        + ": (malformed JSON at line 1 column [0-9]+|unexpected end of input|nested deeper than [0-9]+ levels)");
            }
        }
    }
}
