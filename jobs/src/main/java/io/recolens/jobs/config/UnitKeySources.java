package io.recolens.jobs.config;

import io.recolens.connectors.decode.UnitKeySecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Resolves the HMAC key for user IDs from its three sources: {@code unit-key.secret-file}, the environment variable
 * {@code RECOLENS_UNIT_KEY_SECRET}, and {@code unit-key.secret}. Any of them may be used; when several are set they
 * must agree, because a silent choice between two keys would change every unit_key.
 */
final class UnitKeySources {
    private UnitKeySources() {}

    static UnitKeySecret resolve(Configuration c, Map<String, String> env, boolean demo) {
        String fileKey = RecolensOptions.UNIT_KEY_SECRET_FILE.key();
        String file = blankToNull(c.get(RecolensOptions.UNIT_KEY_SECRET_FILE));
        Map<String, String> found = new LinkedHashMap<>();
        if (file != null) {
            Path path = Path.of(file).toAbsolutePath().normalize();
            if (!Files.isReadable(path)) {
                throw new ConfigException(fileKey, "cannot read " + path, "mount the secret there (on every Flink process) or unset " + fileKey);
            }
            try {
                found.put(fileKey + " (" + path + ")", Files.readString(path, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new ConfigException(fileKey, "cannot read " + path + ": " + e.getMessage(), "check the file's permissions");
            }
            file = path.toString();
        }
        String fromEnv = blankToNull(env.get(RecolensOptions.UNIT_KEY_ENV));
        if (fromEnv != null) {
            found.put("environment variable " + RecolensOptions.UNIT_KEY_ENV, fromEnv.strip());
        }
        String fromConfig = blankToNull(c.get(RecolensOptions.UNIT_KEY_SECRET));
        if (fromConfig != null) {
            found.put(RecolensOptions.UNIT_KEY_SECRET.key(), fromConfig.strip());
        }
        if (found.isEmpty()) {
            if (demo) {
                return UnitKeySecret.inThisJvm(UnitKeySecret.DEMO_SECRET);
            }
            throw new ConfigException(RecolensOptions.UNIT_KEY_SECRET.key(), "no HMAC key for user IDs",
                    "set the environment variable " + RecolensOptions.UNIT_KEY_ENV + " (e.g. from a Kubernetes secret), " + fileKey
                            + " (a mounted file) or, for a local run, unit-key.secret");
        }
        Map.Entry<String, String> first = found.entrySet().iterator().next();
        for (Map.Entry<String, String> other : found.entrySet()) {
            if (!other.getValue().equals(first.getValue())) {
                throw new ConfigException(RecolensOptions.UNIT_KEY_SECRET.key(), "two different HMAC keys: " + first.getKey() + " and "
                        + other.getKey() + " (key ids " + UnitKeySecret.keyId(first.getValue()) + " and "
                        + UnitKeySecret.keyId(other.getValue()) + ")", "keep only one of them; the key that wrote the existing "
                        + "tables is the right one, a new key changes every unit_key");
            }
        }
        String secret = first.getValue();
        if (secret.length() < 16) {
            throw new ConfigException(RecolensOptions.UNIT_KEY_SECRET.key(), "the HMAC key is shorter than 16 characters", "use a random key of at least 32 characters");
        }
        return UnitKeySecret.of(secret, file, RecolensOptions.UNIT_KEY_ENV);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
