package io.recolens.connectors.decode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the experiment unit key from a user ID: HMAC-SHA256 keyed with a secret, first 32 hex
 * characters. Keyed so that nobody without the secret can map a unit key back by hashing
 * candidate user IDs. Not thread-safe: one instance per task.
 */
public final class UnitKeys {
    private static final String ALGORITHM = "HmacSHA256";
    /** 16 bytes = 128 bits: ample against collisions among users, and half the storage. */
    private static final int KEY_BYTES = 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Mac mac;

    public UnitKeys(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the unit-key secret must not be empty");
        }
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    /** The unit key of one user ID: 32 lowercase hex characters. */
    public String unitKey(String userId) {
        byte[] digest = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[KEY_BYTES * 2];
        for (int i = 0; i < KEY_BYTES; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(out);
    }
}
