package io.recolens.connectors.iceberg;

import java.io.Serializable;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The configured catalog plus the recolens namespace: loaders for the sinks, identifiers, namespace creation. */
public final class RecolensCatalog implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecolensCatalog.class);

    private final CatalogConfig config;
    private final CatalogLoader loader;

    private RecolensCatalog(CatalogConfig config) {
        this.config = config;
        this.loader = config.toLoader();
    }

    public static RecolensCatalog of(CatalogConfig config) {
        return new RecolensCatalog(config);
    }

    /** Shortcut for {@code of(CatalogConfig.fromProperties(properties))}. */
    public static RecolensCatalog fromProperties(Map<String, String> properties) {
        return of(CatalogConfig.fromProperties(properties));
    }

    public CatalogConfig config() {
        return config;
    }

    /** A fresh copy each call: Iceberg loaders are mutable once opened. */
    public CatalogLoader loader() {
        return loader.clone();
    }

    public Namespace namespace() {
        return config.namespace();
    }

    public TableIdentifier tableId(String table) {
        return TableIdentifier.of(namespace(), table);
    }

    public TableLoader tableLoader(String table) {
        return TableLoader.fromCatalog(loader(), tableId(table));
    }

    /** Loads the catalog and creates the namespace if it is missing. The caller closes the catalog if it is closeable. */
    public Catalog open() {
        Catalog catalog = loader.loadCatalog();
        ensureNamespace(catalog, namespace());
        return catalog;
    }

    /**
     * Creates {@code namespace} when the catalog manages namespaces and lacks it. Catalogs without
     * namespace support (none of the built-in ones) are left alone: tables then create their folders.
     */
    public static void ensureNamespace(Catalog catalog, Namespace namespace) {
        if (!(catalog instanceof SupportsNamespaces namespaces) || namespace.isEmpty()) {
            return;
        }
        if (namespaces.namespaceExists(namespace)) {
            return;
        }
        try {
            namespaces.createNamespace(namespace);
            LOG.info("Created namespace {} in catalog {}", namespace, catalog.name());
        } catch (AlreadyExistsException raced) {
            // Another job created it between our check and our create: that is the outcome we wanted.
            LOG.debug("Namespace {} appeared concurrently", namespace);
        }
    }

    @Override
    public String toString() {
        return "RecolensCatalog{" + config + "}";
    }
}
