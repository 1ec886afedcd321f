package dev.astrid.sys.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the extension catalog: the three streaming-HTTP imports of SDK 0.2.2, apart from the 48. */
class ExtensionFunctionCatalogTest {

    @Test
    void theStreamingHttpImportsWithTheirWasmTypes() {
        List<String> actual = Arrays.stream(ExtensionFunction.values())
                .map(f -> f.symbol() + " " + f.wasmSignature() + " " + f.family().id() + " " + f.sdkSince())
                .collect(Collectors.toList());
        assertThat(actual).containsExactly(
                "astrid_http_stream_start (i64) -> i64 http 0.2.2",
                "astrid_http_stream_read (i64) -> i64 http 0.2.2",
                "astrid_http_stream_close (i64) -> () http 0.2.2");
    }

    @Test
    void noExtensionIsInTheSeedCatalogAndLookupsStaySeparate() {
        for (ExtensionFunction fn : ExtensionFunction.values()) {
            assertThat(AbiFunction.bySymbol(fn.symbol())).as(fn.symbol()).isNull();
            assertThat(ExtensionFunction.bySymbol(fn.symbol())).isEqualTo(fn);
        }
        assertThat(ExtensionFunction.bySymbol("astrid_http_request")).isNull();
        assertThat(AbiFunction.values()).hasSize(48);
    }

    @Test
    void everyExtensionMapsToOneMethodOfItsInterface() {
        Method[] methods = HttpStreamFunctions.class.getDeclaredMethods();
        assertThat(methods).hasSize(ExtensionFunction.values().length);
        for (ExtensionFunction fn : ExtensionFunction.values()) {
            assertThat(fn.api()).isEqualTo(HttpStreamFunctions.class);
            String javaName = camel(fn.symbol().substring("astrid_".length()));
            Method m = Arrays.stream(methods).filter(x -> x.getName().equals(javaName)).findFirst()
                    .orElseThrow(() -> new AssertionError("no method " + javaName));
            assertThat(m.getParameterCount()).isEqualTo(fn.paramCount());
            assertThat(m.getReturnType()).isEqualTo(fn.returnsBytes() ? byte[].class : void.class);
        }
    }

    @Test
    void invokeReachesTheImplementationAndRefusesOtherTypes() {
        StringBuilder seen = new StringBuilder();
        HttpStreamFunctions s = new HttpStreamFunctions() {
            @Override public byte[] httpStreamStart(byte[] r) { seen.append("start:").append(new String(r)); return new byte[] {1}; }
            @Override public byte[] httpStreamRead(byte[] h) { seen.append(" read:").append(new String(h)); return new byte[] {2}; }
            @Override public void httpStreamClose(byte[] h) { seen.append(" close:").append(new String(h)); }
        };
        assertThat(ExtensionFunction.HTTP_STREAM_START.invoke(s, new byte[][] {"{}".getBytes()})).containsExactly(1);
        assertThat(ExtensionFunction.HTTP_STREAM_READ.invoke(s, new byte[][] {"7".getBytes()})).containsExactly(2);
        assertThat(ExtensionFunction.HTTP_STREAM_CLOSE.invoke(s, new byte[][] {"7".getBytes()})).isNull();
        assertThat(seen.toString()).isEqualTo("start:{} read:7 close:7");
        assertThatThrownBy(() -> ExtensionFunction.HTTP_STREAM_READ.invoke(s, new byte[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("astrid_http_stream_read takes 1");
        HttpFunctions plain = r -> r;
        assertThatThrownBy(() -> ExtensionFunction.HTTP_STREAM_START.invoke(plain, new byte[][] {new byte[0]}))
                .isInstanceOf(ClassCastException.class);
    }

    private static String camel(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
