package dev.astrid.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The cache's HMAC-SHA256 (built on MessageDigest) against the JDK's Mac and RFC 4231. */
class ModuleDiskCacheHmacTest {
    @Test
    void matchesRfc4231TestCase2() {
        byte[] mac = ModuleDiskCache.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(mac))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void matchesTheJdksMacOnRandomInputs() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[32];
            byte[] a = new byte[random.nextInt(100)];
            byte[] b = new byte[random.nextInt(5000)];
            random.nextBytes(key);
            random.nextBytes(a);
            random.nextBytes(b);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(a);
            assertThat(ModuleDiskCache.hmacSha256(key, a, b)).isEqualTo(mac.doFinal(b));
        }
    }
}
