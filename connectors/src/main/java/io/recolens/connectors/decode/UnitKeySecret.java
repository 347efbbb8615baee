package io.recolens.connectors.decode;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a task finds the unit-key HMAC secret, never the secret itself: a mounted file, an environment variable,
 * or (for a job that runs inside the JVM that started it: the local runner, the demo, tests) this JVM. It travels
 * in the job graph with a key id, a one-way fingerprint of the secret, so a task that finds a different secret
 * fails at {@code open()} instead of silently writing other unit keys.
 */
public final class UnitKeySecret implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Used only in demo mode; anything outside the demo must bring its own key. */
    public static final String DEMO_SECRET = "recolens-demo-key-not-for-production";

    // Secrets resolved by the client in this JVM, by key id: what a MiniCluster's tasks fall back to.
    private static final Map<String, String> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final String file;
    private final String envVariable;
    private final String keyId;

    private UnitKeySecret(String file, String envVariable, String keyId) {
        this.file = file;
        this.envVariable = envVariable;
        this.keyId = keyId;
    }

    /**
     * A secret the client has resolved. Tasks read it again from {@code file} (if set), else from {@code envVariable}
     * (if set), else from this JVM.
     */
    public static UnitKeySecret of(String secret, String file, String envVariable) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the unit-key secret must not be empty");
        }
        String id = keyId(secret);
        IN_THIS_JVM.put(id, secret);
        return new UnitKeySecret(file, envVariable, id);
    }

    /** A secret known only to this JVM (tests, the demo key). */
    public static UnitKeySecret inThisJvm(String secret) {
        return of(secret, null, null);
    }

    /** A one-way fingerprint of the secret: the first 16 hex characters of its HMAC of a fixed label. */
    public static String keyId(String secret) {
        return new UnitKeys(secret).unitKey("recolens/unit-key-id").substring(0, 16);
    }

    /** Drops this JVM's copy of the key, so {@link #resolve()} behaves as on a separate TaskManager (tests). */
    public void forgetInThisJvm() {
        IN_THIS_JVM.remove(keyId);
    }

    public String keyId() {
        return keyId;
    }

    /**
     * Reads the secret where this process finds it, in order: the file, the environment variable, this JVM; the first
     * whose key id matches is used, and a process that only finds other keys fails rather than write other unit keys.
     */
    public String resolve() {
        Map<String, String> candidates = new LinkedHashMap<>();
        if (file != null && Files.isReadable(Path.of(file))) {
            try {
                candidates.put("file " + file, Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the unit-key secret file " + file + ": " + e.getMessage(), e);
            }
        }
        String fromEnv = envVariable == null ? null : System.getenv(envVariable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            candidates.put("environment variable " + envVariable, fromEnv.strip());
        }
        if (IN_THIS_JVM.containsKey(keyId)) {
            candidates.put("this JVM", IN_THIS_JVM.get(keyId));
        }
        candidates.put("the demo key", DEMO_SECRET);
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, String> c : candidates.entrySet()) {
            String id = keyId(c.getValue());
            if (id.equals(keyId)) {
                return c.getValue();
            }
            if (!c.getKey().equals("the demo key")) {
                others.add(c.getKey() + " (key id " + id + ")");
            }
        }
        if (!others.isEmpty()) {
            throw new IllegalStateException("the unit-key secret found on this process in " + String.join(", ", others) + " differs"
                    + " from the one the job was started with (key id " + keyId + "): every unit_key would change. Give every Flink"
                    + " process the same secret");
        }
        throw new IllegalStateException("no unit-key secret on this TaskManager: mount it at " + (file == null ? "(no file configured)" : file)
                + " or set " + (envVariable == null ? "RECOLENS_UNIT_KEY_SECRET" : envVariable) + " on every Flink process"
                + " (a unit-key.secret from the job's properties file is not shipped to a cluster)");
    }

    @Override
    public String toString() {
        return "UnitKeySecret{keyId=" + keyId + (file == null ? "" : ", file=" + file) + (envVariable == null ? "" : ", env=" + envVariable) + "}";
    }
}
