package dev.astrid.reference.capsule;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.commons.codec.digest.Blake3;

/**
 * Checks a component's {@code hash}: {@code sha256:HEX}, {@code blake3:HEX}, or bare hex of 64
 * digits, which is accepted when it equals either digest.
 */
public final class ComponentHash {
    private ComponentHash() {}

    /**
     * Verifies wasm bytes against an expected hash.
     *
     * @throws ManifestException when the hash is malformed or does not match
     */
    public static void verify(byte[] wasm, String expected, String where) {
        String spec = expected.trim().toLowerCase(Locale.ROOT);
        String algo = null;
        String hex = spec;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            algo = spec.substring(0, colon);
            hex = spec.substring(colon + 1);
        }
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new ManifestException(where + ": hash '" + expected + "' must be 64 hex digits, optionally after sha256: or blake3:");
        }
        String sha = sha256(wasm);
        String b3 = blake3(wasm);
        boolean ok;
        if (algo == null) {
            ok = hex.equals(sha) || hex.equals(b3);
        } else if (algo.equals("sha256")) {
            ok = hex.equals(sha);
        } else if (algo.equals("blake3")) {
            ok = hex.equals(b3);
        } else {
            throw new ManifestException(where + ": unknown hash algorithm '" + algo + "' (use sha256 or blake3)");
        }
        if (!ok) {
            throw new ManifestException(where + ": hash mismatch: the manifest expects " + expected
                    + " but the file has sha256:" + sha + " / blake3:" + b3);
        }
    }

    /** Hex SHA-256 of the bytes. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Hex BLAKE3 (32 bytes) of the bytes. */
    public static String blake3(byte[] data) {
        return HexFormat.of().formatHex(Blake3.hash(data));
    }
}
