package io.recolens.catalogtestkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg REST catalog routes (namespaces and tables of the v1 spec) over a backing catalog, with
 * no HTTP in sight: method, path, query and body in, status and JSON out. Iceberg's own
 * {@link CatalogHandlers} do the catalog work; this class only routes, parses and maps errors to the
 * status codes and error types Iceberg's REST client turns back into the same exceptions.
 *
 * <p>Views, multi-table transactions, server-side scan planning and credential vending are not served
 * and not advertised in {@code /v1/config}, so clients do not try them.
 */
final class RestCatalogRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(RestCatalogRoutes.class);

    /** What a route answers: a status and a JSON body, or no body ({@code null}) for 204 and HEAD. */
    record Response(int status, String body) {
        static Response json(String body) {
            return new Response(200, body);
        }

        static Response noContent() {
            return new Response(204, null);
        }
    }

    /** Everything served; {@code /v1/config} lists them so the client checks against the real set. */
    static final List<Endpoint> ENDPOINTS = List.of(
            Endpoint.V1_LIST_NAMESPACES, Endpoint.V1_LOAD_NAMESPACE, Endpoint.V1_NAMESPACE_EXISTS, Endpoint.V1_CREATE_NAMESPACE,
            Endpoint.V1_UPDATE_NAMESPACE, Endpoint.V1_DELETE_NAMESPACE,
            Endpoint.V1_LIST_TABLES, Endpoint.V1_LOAD_TABLE, Endpoint.V1_TABLE_EXISTS, Endpoint.V1_CREATE_TABLE,
            Endpoint.V1_UPDATE_TABLE, Endpoint.V1_DELETE_TABLE, Endpoint.V1_RENAME_TABLE, Endpoint.V1_REGISTER_TABLE,
            Endpoint.V1_REPORT_METRICS);

    private final Catalog catalog;
    private final SupportsNamespaces namespaces;
    private final Map<String, String> configDefaults;
    private final RestJson json = new RestJson();

    RestCatalogRoutes(Catalog catalog, Map<String, String> configDefaults) {
        if (!(catalog instanceof SupportsNamespaces ns)) {
            throw new IllegalArgumentException("the backing catalog " + catalog.getClass().getName()
                    + " does not manage namespaces, which the REST protocol needs");
        }
        this.catalog = catalog;
        this.namespaces = ns;
        // A mutable copy: ConfigResponse's builder probes for null keys, which Map.copyOf's maps reject with an NPE.
        this.configDefaults = new LinkedHashMap<>(configDefaults);
    }

    /** Answers one request; never throws: failures become Iceberg error responses. */
    Response handle(String method, String rawPath, String rawQuery, String body) {
        try {
            return route(method, rawPath, query(rawQuery), body);
        } catch (RuntimeException e) {
            Response response = error(e);
            if (response.status() >= 500) {
                // A server bug or a backing-catalog failure: the client only sees the message, the test log gets the trace.
                LOG.warn("{} {} failed", method, rawPath, e);
            }
            return response;
        }
    }

    private Response route(String method, String rawPath, Map<String, String> query, String body) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // Segments stay URL-encoded: a namespace's levels are joined by an encoded 0x1F inside one segment.
        String[] s = path.split("/", -1);
        if (s.length < 2 || !"v1".equals(s[0])) {
            throw new NotFoundException("no route for %s %s", method, rawPath);
        }
        String[] r = Arrays.copyOfRange(s, 1, s.length);
        switch (r[0]) {
            case "config" -> {
                if (r.length == 1 && method.equals("GET")) {
                    return Response.json(json.write(ConfigResponse.builder().withDefaults(configDefaults).withEndpoints(ENDPOINTS).build()));
                }
            }
            case "namespaces" -> {
                Response answer = namespaceRoutes(method, r, query, body);
                if (answer != null) {
                    return answer;
                }
            }
            case "tables" -> {
                if (r.length == 2 && r[1].equals("rename") && method.equals("POST")) {
                    CatalogHandlers.renameTable(catalog, json.read(body, RenameTableRequest.class));
                    return Response.noContent();
                }
            }
            default -> {
                // falls through to "no route" below
            }
        }
        throw new NotFoundException("no route for %s %s", method, rawPath);
    }

    private Response namespaceRoutes(String method, String[] r, Map<String, String> query, String body) {
        if (r.length == 1) {
            if (method.equals("GET")) {
                Namespace parent = query.containsKey("parent") ? RESTUtil.namespaceFromQueryParam(query.get("parent")) : Namespace.empty();
                return Response.json(json.write(paged(query)
                        ? CatalogHandlers.listNamespaces(namespaces, parent, query.get("pageToken"), query.get("pageSize"))
                        : CatalogHandlers.listNamespaces(namespaces, parent)));
            }
            if (method.equals("POST")) {
                return Response.json(json.write(CatalogHandlers.createNamespace(namespaces, json.read(body, CreateNamespaceRequest.class))));
            }
            return null;
        }
        Namespace ns = RESTUtil.decodeNamespace(r[1]);
        if (r.length == 2) {
            switch (method) {
                case "GET" -> {
                    return Response.json(json.write(CatalogHandlers.loadNamespace(namespaces, ns)));
                }
                case "HEAD" -> {
                    CatalogHandlers.namespaceExists(namespaces, ns);
                    return Response.noContent();
                }
                case "DELETE" -> {
                    CatalogHandlers.dropNamespace(namespaces, ns);
                    return Response.noContent();
                }
                default -> {
                    return null;
                }
            }
        }
        if (r.length == 3 && r[2].equals("properties") && method.equals("POST")) {
            return Response.json(json.write(CatalogHandlers.updateNamespaceProperties(namespaces, ns,
                    json.read(body, UpdateNamespacePropertiesRequest.class))));
        }
        if (r.length == 3 && r[2].equals("register") && method.equals("POST")) {
            return Response.json(json.write(CatalogHandlers.registerTable(catalog, ns, json.read(body, RegisterTableRequest.class))));
        }
        if (r.length == 3 && r[2].equals("tables")) {
            if (method.equals("GET")) {
                return Response.json(json.write(paged(query)
                        ? CatalogHandlers.listTables(catalog, ns, query.get("pageToken"), query.get("pageSize"))
                        : CatalogHandlers.listTables(catalog, ns)));
            }
            if (method.equals("POST")) {
                CreateTableRequest request = json.read(body, CreateTableRequest.class);
                // A staged create (Spark's CREATE TABLE AS SELECT) only returns metadata; the table appears at its first commit.
                return Response.json(json.write(request.stageCreate()
                        ? CatalogHandlers.stageTableCreate(catalog, ns, request)
                        : CatalogHandlers.createTable(catalog, ns, request)));
            }
            return null;
        }
        if (r.length >= 4 && r[2].equals("tables")) {
            TableIdentifier id = TableIdentifier.of(ns, RESTUtil.decodeString(r[3]));
            if (r.length == 5 && r[4].equals("metrics") && method.equals("POST")) {
                // Scan and commit reports are accepted and dropped: nothing here consumes them.
                return Response.noContent();
            }
            if (r.length != 4) {
                return null;
            }
            switch (method) {
                case "GET" -> {
                    return Response.json(json.write(CatalogHandlers.loadTable(catalog, id)));
                }
                case "HEAD" -> {
                    CatalogHandlers.tableExists(catalog, id);
                    return Response.noContent();
                }
                case "POST" -> {
                    return Response.json(json.write(CatalogHandlers.updateTable(catalog, id, json.read(body, UpdateTableRequest.class))));
                }
                case "DELETE" -> {
                    if (Boolean.parseBoolean(query.getOrDefault("purgeRequested", "false"))) {
                        CatalogHandlers.purgeTable(catalog, id);
                    } else {
                        CatalogHandlers.dropTable(catalog, id);
                    }
                    return Response.noContent();
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    // The client always sends pageToken (empty on the first call) to say it can page; only a pageSize
    // asks for pages, and CatalogHandlers' paged variants cannot parse a missing one.
    private static boolean paged(Map<String, String> query) {
        return query.get("pageSize") != null && !query.get("pageSize").isEmpty();
    }

    // Status codes and error types as the REST spec defines them; Iceberg's client maps (code, type)
    // back to NoSuchTableException, CommitFailedException, ... so callers see the backing catalog's error.
    Response error(RuntimeException e) {
        int status;
        if (e instanceof NoSuchNamespaceException || e instanceof NoSuchTableException || e instanceof NotFoundException) {
            status = 404;
        } else if (e instanceof AlreadyExistsException || e instanceof CommitFailedException || e instanceof NamespaceNotEmptyException) {
            status = 409;
        } else if (e instanceof IllegalArgumentException || e instanceof ValidationException || e instanceof BadRequestException) {
            status = 400;
        } else if (e instanceof UnsupportedOperationException) {
            status = 406;
        } else {
            // CommitStateUnknownException among others: the client must not assume the commit failed.
            status = 500;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        ErrorResponse response = ErrorResponse.builder().responseCode(status).withType(e.getClass().getSimpleName())
                .withMessage(message).build();
        return new Response(status, ErrorResponseParser.toJson(response));
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }
}
