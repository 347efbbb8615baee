package io.recolens.connectors.iceberg;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * The Iceberg catalog recolens writes to, read from plain properties the way Iceberg's own Flink
 * catalog options are: {@code type} (hadoop, rest, hive, jdbc, glue, nessie) or {@code catalog-impl},
 * {@code uri}, {@code warehouse}, plus recolens' {@code name} and {@code namespace}. Every other
 * property the chosen type reads goes to the catalog unchanged (credentials, {@code io-impl}, {@code jdbc.user},
 * ...); a key it does not read is refused ({@link CatalogKeys}).
 *
 * <p>Job configuration usually prefixes the keys ({@code catalog.type=rest}); {@link
 * #fromPrefixedProperties} strips the prefix and error messages name the keys as the user wrote them.
 */
public final class CatalogConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String TYPE = "type";
    public static final String CATALOG_IMPL = "catalog-impl";
    public static final String URI_KEY = "uri";
    public static final String WAREHOUSE = "warehouse";
    /** Catalog name Iceberg uses in logs and metrics; default {@value #DEFAULT_NAME}. */
    public static final String NAME = "name";
    /** Namespace (dot separated for nested ones) of the recolens tables; default {@value #DEFAULT_NAMESPACE}. */
    public static final String NAMESPACE = "namespace";

    public static final String DEFAULT_PREFIX = "catalog.";
    public static final String DEFAULT_TYPE = "hadoop";
    public static final String DEFAULT_WAREHOUSE = "./warehouse";
    public static final String DEFAULT_NAME = "recolens";
    public static final String DEFAULT_NAMESPACE = "recolens";

    public static final String JDBC_CATALOG_IMPL = "org.apache.iceberg.jdbc.JdbcCatalog";
    public static final String GLUE_CATALOG_IMPL = "org.apache.iceberg.aws.glue.GlueCatalog";
    public static final String NESSIE_CATALOG_IMPL = "org.apache.iceberg.nessie.NessieCatalog";

    /** Keys recolens consumes itself; they are not passed to the catalog. */
    private static final Set<String> OWN_KEYS = Set.of(TYPE, NAME, NAMESPACE, CatalogKeys.PASS_THROUGH_KEYS);

    private final String type;
    private final String catalogImpl;
    private final String name;
    private final String namespace;
    private final Map<String, String> catalogProperties;

    private CatalogConfig(String type, String catalogImpl, String name, String namespace, Map<String, String> catalogProperties) {
        this.type = type;
        this.catalogImpl = catalogImpl;
        this.name = name;
        this.namespace = namespace;
        this.catalogProperties = Collections.unmodifiableMap(new LinkedHashMap<>(catalogProperties));
    }

    /** Reads unprefixed keys ({@code type}, {@code uri}, ...); messages name them with {@value #DEFAULT_PREFIX}. */
    public static CatalogConfig fromProperties(Map<String, String> properties) {
        return parse(properties, DEFAULT_PREFIX);
    }

    /**
     * Reads the keys starting with {@code prefix} (e.g. {@code catalog.}) from a larger configuration
     * and ignores the others.
     */
    public static CatalogConfig fromPrefixedProperties(Map<String, String> all, String prefix) {
        Map<String, String> stripped = new LinkedHashMap<>();
        all.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                stripped.put(key.substring(prefix.length()), value);
            }
        });
        return parse(stripped, prefix);
    }

    private static CatalogConfig parse(Map<String, String> properties, String prefix) {
        Map<String, String> props = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (value != null) {
                props.put(key, value.trim());
            }
        });
        String impl = blankToNull(props.get(CATALOG_IMPL));
        String rawType = blankToNull(props.get(TYPE));
        String name = orDefault(props.get(NAME), DEFAULT_NAME);
        String namespace = orDefault(props.get(NAMESPACE), DEFAULT_NAMESPACE);
        if (namespace.startsWith(".") || namespace.endsWith(".") || namespace.contains("..")) {
            throw new IllegalArgumentException(prefix + NAMESPACE + " '" + namespace
                    + "' is not a valid namespace: use dot-separated non-empty levels, e.g. " + prefix + NAMESPACE + "=recolens");
        }

        String type;
        if (rawType == null) {
            // Like Iceberg's CatalogUtil: catalog-impl alone selects a custom catalog.
            type = impl == null ? DEFAULT_TYPE : "custom";
        } else {
            type = rawType.toLowerCase(Locale.ROOT);
        }

        Map<String, String> catalogProps = new LinkedHashMap<>(props);
        OWN_KEYS.forEach(catalogProps::remove);

        switch (type) {
            case "hadoop" -> {
                rejectImpl(prefix, type, impl);
                catalogProps.put(WAREHOUSE, localOrUri(orDefault(props.get(WAREHOUSE), DEFAULT_WAREHOUSE)));
            }
            case "rest" -> {
                rejectImpl(prefix, type, impl);
                requireUri(prefix, type, props, "https://iceberg-rest.example.com/api/catalog", "http", "https");
            }
            case "hive" -> {
                rejectImpl(prefix, type, impl);
                requireUri(prefix, type, props, "thrift://metastore:9083", "thrift");
                if (props.containsKey(WAREHOUSE)) {
                    catalogProps.put(WAREHOUSE, localOrUri(props.get(WAREHOUSE)));
                }
            }
            case "jdbc" -> {
                impl = implFor(prefix, type, impl, JDBC_CATALOG_IMPL);
                String uri = require(prefix, type, props, URI_KEY, "jdbc:postgresql://db:5432/iceberg");
                if (!uri.startsWith("jdbc:")) {
                    throw new IllegalArgumentException(prefix + URI_KEY + " '" + uri + "' is not a JDBC URL for catalog type 'jdbc': set "
                            + prefix + URI_KEY + "=jdbc:postgresql://db:5432/iceberg");
                }
                // JdbcCatalog refuses to start without a warehouse; say so before the job is submitted.
                String warehouse = require(prefix, type, props, WAREHOUSE, "s3://bucket/warehouse");
                catalogProps.put(WAREHOUSE, localOrUri(warehouse));
            }
            case "glue" -> impl = implFor(prefix, type, impl, GLUE_CATALOG_IMPL);
            case "nessie" -> {
                impl = implFor(prefix, type, impl, NESSIE_CATALOG_IMPL);
                requireUri(prefix, type, props, "http://nessie:19120/api/v2", "http", "https");
            }
            case "custom" -> {
                if (impl == null) {
                    throw new IllegalArgumentException(prefix + CATALOG_IMPL + " is required for catalog type 'custom': set "
                            + prefix + CATALOG_IMPL + "=<fully qualified class implementing org.apache.iceberg.catalog.Catalog>");
                }
            }
            default -> throw new IllegalArgumentException("unknown " + prefix + TYPE + " '" + rawType
                    + "': use hadoop, rest, hive, jdbc, glue or nessie, or leave " + prefix + TYPE
                    + " unset and set " + prefix + CATALOG_IMPL + "=<catalog class>");
        }
        // A typo (catalog.warehose) would otherwise fall back to a default without a word.
        CatalogKeys.check(type, props, prefix);
        if (impl != null) {
            catalogProps.put(CATALOG_IMPL, impl);
        }
        return new CatalogConfig(type, impl, name, namespace, catalogProps);
    }

    /** {@code hadoop}, {@code rest}, {@code hive}, {@code jdbc}, {@code glue}, {@code nessie} or {@code custom}. */
    public String type() {
        return type;
    }

    /** The catalog class for jdbc, glue, nessie and custom catalogs; null for the built-in loaders. */
    public String catalogImpl() {
        return catalogImpl;
    }

    public String name() {
        return name;
    }

    public Namespace namespace() {
        return Namespace.of(namespace.split("\\."));
    }

    /** What the catalog's {@code initialize} receives: every input key but recolens' own, warehouse resolved. */
    public Map<String, String> catalogProperties() {
        return catalogProperties;
    }

    /**
     * A serializable loader for the sink and the tasks. Hadoop's {@link Configuration} is the default
     * one (core-site.xml from the classpath, if any): S3, GCS and ADLS credentials belong in catalog
     * properties such as {@code io-impl} and {@code s3.*}, which pass through unchanged.
     */
    public CatalogLoader toLoader() {
        Configuration hadoopConf = new Configuration();
        Map<String, String> props = new LinkedHashMap<>(catalogProperties);
        return switch (type) {
            case "hadoop" -> CatalogLoader.hadoop(name, hadoopConf, props);
            case "rest" -> CatalogLoader.rest(name, hadoopConf, props);
            case "hive" -> CatalogLoader.hive(name, hadoopConf, props);
            default -> CatalogLoader.custom(name, props, hadoopConf, catalogImpl);
        };
    }

    @Override
    public String toString() {
        // Property values may hold credentials: show the keys only.
        return "CatalogConfig{type=" + type + ", name=" + name + ", namespace=" + namespace
                + (catalogImpl == null ? "" : ", catalog-impl=" + catalogImpl)
                + ", keys=" + catalogProperties.keySet() + "}";
    }

    private static void rejectImpl(String prefix, String type, String impl) {
        if (impl != null) {
            throw new IllegalArgumentException(prefix + CATALOG_IMPL + " cannot be combined with " + prefix + TYPE + "=" + type
                    + ": remove one of them (set only " + prefix + CATALOG_IMPL + " for a custom catalog)");
        }
    }

    private static String implFor(String prefix, String type, String impl, String expected) {
        if (impl != null && !impl.equals(expected)) {
            throw new IllegalArgumentException(prefix + CATALOG_IMPL + "=" + impl + " contradicts " + prefix + TYPE + "=" + type
                    + " (which means " + expected + "): remove " + prefix + CATALOG_IMPL + " or " + prefix + TYPE);
        }
        return expected;
    }

    private static String require(String prefix, String type, Map<String, String> props, String key, String example) {
        String value = blankToNull(props.get(key));
        if (value == null) {
            throw new IllegalArgumentException(prefix + key + " is required for catalog type '" + type + "': set "
                    + prefix + key + "=" + example);
        }
        return value;
    }

    private static void requireUri(String prefix, String type, Map<String, String> props, String example, String... schemes) {
        String value = require(prefix, type, props, URI_KEY, example);
        String scheme;
        try {
            scheme = new URI(value).getScheme();
        } catch (URISyntaxException e) {
            scheme = null;
        }
        if (scheme == null || !Set.of(schemes).contains(scheme.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(prefix + URI_KEY + " '" + value + "' is not a valid URI for catalog type '" + type
                    + "' (expected scheme " + String.join(" or ", schemes) + "): set " + prefix + URI_KEY + "=" + example);
        }
    }

    // A warehouse without a scheme is a local folder; Iceberg stores absolute paths in metadata, so
    // a relative one would depend on the working directory of whoever reads the table later.
    private static String localOrUri(String warehouse) {
        if (warehouse.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !warehouse.matches("^[A-Za-z]:[\\\\/].*")) {
            return warehouse;
        }
        return Paths.get(warehouse).toAbsolutePath().normalize().toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String orDefault(String value, String fallback) {
        String v = blankToNull(value);
        return v == null ? fallback : v;
    }
}
