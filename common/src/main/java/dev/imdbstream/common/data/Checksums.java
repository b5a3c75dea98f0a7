package dev.imdbstream.common.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** File digests for verifying downloads, as Keras' {@code get_file} does: sha256, or md5 for 32-digit hashes. */
public final class Checksums {

    private Checksums() {
    }

    public static MessageDigest sha256() {
        return digest("SHA-256");
    }

    /** The algorithm a hex hash was made with, told by its length (64: sha256, 32: md5). */
    public static String algorithmOf(String hexHash) {
        return switch (hexHash.length()) {
            case 64 -> "SHA-256";
            case 32 -> "MD5";
            default -> throw new IllegalArgumentException("not a sha256 or md5 hex digest: " + hexHash);
        };
    }

    public static String hex(Path file, String algorithm) throws IOException {
        MessageDigest digest = digest(algorithm);
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256Hex(Path file) throws IOException {
        return hex(file, "SHA-256");
    }

    /** True when the file's digest equals {@code expectedHex} (algorithm told by its length). */
    public static boolean matches(Path file, String expectedHex) throws IOException {
        return hex(file, algorithmOf(expectedHex)).equals(expectedHex.toLowerCase(Locale.ROOT));
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }
}
