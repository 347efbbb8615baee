package io.recolens.jobs.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Reads the job configuration. Precedence, lowest first: option defaults, the properties files given with
 * {@code --config} (in order; one may hold only the secrets), then {@code --key value} flags. Unknown keys are
 * refused so a typo fails at start.
 */
public final class ConfigReader {
    private ConfigReader() {}

    /** Parses {@code --config file} and {@code --key value} / {@code --key=value} arguments into a validated configuration. */
    public static Configuration fromArgs(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        // Several files merge in order, later ones win: e.g. job.properties, then a mounted secrets file.
        java.util.List<String> configFiles = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException(arg, "unexpected argument", "pass options as --key value (see README, Configuration)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = "true";
            }
            if (name.equals("config")) {
                configFiles.add(value);
            } else {
                flags.put(name, value);
            }
        }
        Map<String, String> merged = new LinkedHashMap<>();
        for (String configFile : configFiles) {
            merged.putAll(readProperties(Path.of(configFile)));
        }
        merged.putAll(flags);
        return fromMap(merged);
    }

    /** Validates keys and builds a configuration from a flat map. */
    public static Configuration fromMap(Map<String, String> values) {
        Configuration conf = new Configuration();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            if (!isKnown(k)) {
                throw new ConfigException(k, "unknown key", "did you mean " + closestKey(k)
                        + "? (every key: docs/configuration.md)");
            }
            conf.setString(k, e.getValue());
        }
        return conf;
    }

    static boolean isKnown(String key) {
        // Keys under these prefixes are checked by JobSettings against what the catalog, Kafka and Flink read.
        if (key.startsWith(RecolensOptions.CATALOG_PREFIX) || key.startsWith(RecolensOptions.KAFKA_PROPERTIES_PREFIX)
                || key.startsWith(FlinkOptions.PREFIX)) {
            return true;
        }
        for (ConfigOption<?> o : RecolensOptions.ALL) {
            if (o.key().equals(key)) {
                return true;
            }
            // Deprecated and fallback keys (e.g. state.late-retention for lateness.allowed) are still accepted.
            for (var fallback : o.fallbackKeys()) {
                if (fallback.getKey().equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String closestKey(String key) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (ConfigOption<?> o : RecolensOptions.ALL) {
            keys.add(o.key());
        }
        keys.add(RecolensOptions.CATALOG_PREFIX + "type");
        keys.add(RecolensOptions.KAFKA_PROPERTIES_PREFIX + "security.protocol");
        keys.add(FlinkOptions.PREFIX + "state.backend.type");
        return io.recolens.connectors.config.ClosestKey.closest(key, keys).orElse(RecolensOptions.MODE.key());
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config", "file not found: " + file, "pass an existing properties file with --config");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage(), "check the file's permissions and format");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name).trim());
        }
        return out;
    }
}
