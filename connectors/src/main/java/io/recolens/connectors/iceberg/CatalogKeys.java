package io.recolens.connectors.iceberg;

import io.recolens.connectors.config.ClosestKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.auth.AuthProperties;
import org.apache.iceberg.rest.auth.OAuth2Properties;

/**
 * The catalog keys each catalog type understands, so a typo under {@code catalog.*} fails at start instead of
 * silently falling back to a default. Exact keys are read from Iceberg's own property classes; families of keys
 * that Iceberg forwards as they are (S3/GCS/ADLS file IO, REST headers, JDBC driver properties, ...) are accepted
 * by prefix, and the storage prefixes only when the configured {@code io-impl} reads them.
 */
public final class CatalogKeys {
    private CatalogKeys() {}

    /** Comma-separated extra keys passed to the catalog unchecked: for a key a newer Iceberg reads that recolens does not know yet. */
    public static final String PASS_THROUGH_KEYS = "pass-through-keys";

    static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";
    static final String GCS_FILE_IO = "org.apache.iceberg.gcp.gcs.GCSFileIO";
    static final String ADLS_FILE_IO = "org.apache.iceberg.azure.adlsv2.ADLSFileIO";
    static final String HADOOP_FILE_IO = "org.apache.iceberg.hadoop.HadoopFileIO";

    private static final List<String> S3_PREFIXES = List.of("s3.", "client.", "http-client.");
    private static final List<String> GCS_PREFIXES = List.of("gcs.");
    private static final List<String> ADLS_PREFIXES = List.of("adls.");
    private static final List<String> ALL_STORAGE_PREFIXES = concat(S3_PREFIXES, GCS_PREFIXES, ADLS_PREFIXES);

    /** Keys recolens itself reads under catalog.*. */
    private static final Set<String> OWN = Set.of(CatalogConfig.TYPE, CatalogConfig.NAME, CatalogConfig.NAMESPACE, PASS_THROUGH_KEYS);

    private static final Set<String> CORE = keysOf(CatalogProperties.class);
    private static final Set<String> REST = keysOf(OAuth2Properties.class, AuthProperties.class, RESTCatalogProperties.class);

    /** Exact keys every catalog type reads (without the prefix): recolens' own and Iceberg's CatalogProperties. */
    public static Set<String> commonKeys() {
        Set<String> keys = new TreeSet<>(OWN);
        for (String k : CORE) {
            if (!k.endsWith(".")) keys.add(k);
        }
        return keys;
    }

    /** Exact keys only one catalog type reads, on top of {@link #commonKeys()}. */
    public static Set<String> typeKeys(String type) {
        Set<String> keys = new TreeSet<>();
        switch (type) {
            case "rest" -> REST.stream().filter(k -> !k.endsWith(".")).forEach(keys::add);
            case "hadoop" -> keys.add("suppress-permission-error");
            case "hive" -> keys.add("list-all-tables");
            case "nessie" -> keys.addAll(List.of("ref", "ref.hash", "client-api-version", "client-builder-impl"));
            default -> { }
        }
        return keys;
    }

    /** Exact keys for one catalog type (without the prefix). */
    public static Set<String> exactKeys(String type) {
        Set<String> keys = new TreeSet<>(commonKeys());
        keys.addAll(typeKeys(type));
        return keys;
    }

    /** Key families passed through for one catalog type, before the io-impl's storage prefixes. */
    public static List<String> typePrefixes(String type) {
        List<String> prefixes = new ArrayList<>();
        CORE.stream().filter(k -> k.endsWith(".")).forEach(prefixes::add);
        switch (type) {
            case "rest" -> prefixes.addAll(List.of("header.", "rest.", "oauth2."));
            case "jdbc" -> prefixes.add("jdbc.");
            case "glue" -> prefixes.addAll(List.of("glue.", "lakeformation.", "dynamodb."));
            case "nessie" -> prefixes.add("nessie.");
            default -> { }
        }
        return prefixes;
    }

    /** The storage key families the configured io-impl reads; all of them when unset or resolved at run time. */
    public static List<String> storagePrefixes(String ioImpl) {
        if (ioImpl == null || ioImpl.isBlank()) return ALL_STORAGE_PREFIXES;
        return switch (ioImpl.trim()) {
            case S3_FILE_IO -> S3_PREFIXES;
            case GCS_FILE_IO -> GCS_PREFIXES;
            case ADLS_FILE_IO -> ADLS_PREFIXES;
            case HADOOP_FILE_IO -> List.of();
            // ResolvingFileIO picks the IO per location; an unknown custom FileIO may read any of them.
            default -> ALL_STORAGE_PREFIXES;
        };
    }

    /**
     * Refuses a key the chosen catalog type does not read, naming the closest valid one. A custom catalog
     * ({@code catalog-impl}) may read keys nobody can list, so there only near misses of known keys are refused.
     */
    static void check(String type, Map<String, String> props, String prefix) {
        Set<String> exact = exactKeys(type);
        List<String> families = new ArrayList<>(typePrefixes(type));
        String ioImpl = props.get(CatalogProperties.FILE_IO_IMPL);
        List<String> storage = storagePrefixes(ioImpl);
        families.addAll(storage);
        Set<String> passThrough = passThrough(props.get(PASS_THROUGH_KEYS));
        for (String key : new TreeSet<>(props.keySet())) {
            if (exact.contains(key) || passThrough.contains(key) || families.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String otherStorage = ALL_STORAGE_PREFIXES.stream().filter(key::startsWith).findFirst().orElse(null);
            if (otherStorage != null) {
                throw new IllegalArgumentException(prefix + key + " is read by another FileIO than " + prefix
                        + CatalogProperties.FILE_IO_IMPL + "=" + ioImpl.trim() + ", which reads " + describe(prefix, storage)
                        + ": remove " + prefix + key + " or change " + prefix + CatalogProperties.FILE_IO_IMPL);
            }
            if (type.equals("custom") && !ClosestKey.isNear(key, exact, 2)) {
                continue;
            }
            String closest = ClosestKey.closest(key, candidates(key, exact, families)).orElse(CatalogConfig.TYPE);
            throw new IllegalArgumentException("unknown key " + prefix + key + " for catalog type '" + type + "': did you mean "
                    + prefix + closest + "? (keys per catalog type: docs/configuration.md; a key the catalog reads that recolens does not know can be "
                    + "listed in " + prefix + PASS_THROUGH_KEYS + ")");
        }
    }

    // A prefix family suggests itself with the key's first segment replaced: s4.endpoint -> s3.endpoint.
    private static Set<String> candidates(String key, Set<String> exact, List<String> families) {
        Set<String> out = new LinkedHashSet<>(exact);
        int dot = key.indexOf('.');
        for (String family : families) {
            out.add(dot >= 0 ? family + key.substring(dot + 1) : family + "...");
        }
        return out;
    }

    private static String describe(String prefix, List<String> families) {
        if (families.isEmpty()) return "none of s3.*, gcs.*, adls.*";
        return String.join(", ", families.stream().map(f -> prefix + f + "*").toList());
    }

    private static Set<String> passThrough(String list) {
        if (list == null || list.isBlank()) return Set.of();
        Set<String> out = new LinkedHashSet<>();
        for (String k : list.split(",")) {
            if (!k.isBlank()) out.add(k.trim());
        }
        return out;
    }

    // Iceberg names its keys as public String constants; *_DEFAULT fields and enumerated values are not keys.
    private static Set<String> keysOf(Class<?>... classes) {
        Set<String> keys = new TreeSet<>();
        for (Class<?> c : classes) {
            for (Field f : c.getFields()) {
                String name = f.getName();
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class || name.endsWith("_DEFAULT")
                        || name.contains("_TYPE_") || name.endsWith("_SCOPE") || name.endsWith("_PARAMETER")) {
                    continue;
                }
                try {
                    String value = (String) f.get(null);
                    if (value != null && value.matches("[a-z0-9][a-z0-9.-]*")) keys.add(value.toLowerCase(Locale.ROOT));
                } catch (IllegalAccessException e) {
                    // A public field is readable; skip anything odd rather than fail the start.
                }
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
