package io.recolens.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates an object against a CRD's OpenAPI v3 schema as the API server does with strict field validation:
 * the subset CRDs use (type, properties, additionalProperties, items, required, enum, anyOf,
 * x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields), with unknown fields refused.
 */
final class StructuralSchema {
    /** The FlinkDeployment CRD as the operator API jar ships it. */
    static final String FLINK_DEPLOYMENT_CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    /** Root fields every Kubernetes object has, checked by the API server itself, not by the CRD schema. */
    private static final List<String> OBJECT_ROOT_FIELDS = List.of("apiVersion", "kind", "metadata");

    private final JsonNode schema;

    private StructuralSchema(JsonNode schema) {
        this.schema = schema;
    }

    /** The openAPIV3Schema of one served version of a CRD on the classpath. */
    static StructuralSchema fromCrdResource(String resource, String version) {
        try (InputStream in = StructuralSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath (flink-kubernetes-operator-api)");
            }
            JsonNode crd = HelmChart.YAML.readTree(in);
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (version.equals(v.path("name").asText())) {
                    return new StructuralSchema(v.path("schema").path("openAPIV3Schema"));
                }
            }
            throw new IllegalStateException(resource + " has no version " + version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StructuralSchema of(JsonNode schema) {
        return new StructuralSchema(schema);
    }

    /** The enum of a string field, e.g. spec.flinkVersion; empty when the field has none. */
    List<String> enumAt(String... path) {
        JsonNode node = nodeAt(schema, path);
        List<String> out = new ArrayList<>();
        node.path("enum").forEach(e -> out.add(e.asText()));
        return out;
    }

    /** A copy whose enum at the given property path also allows the given values. */
    StructuralSchema withEnumValues(List<String> path, String... values) {
        JsonNode copy = schema.deepCopy();
        JsonNode node = nodeAt(copy, path.toArray(String[]::new));
        if (!(node.get("enum") instanceof ArrayNode arr)) {
            throw new IllegalArgumentException("no enum at " + path);
        }
        for (String v : values) {
            arr.add(v);
        }
        return new StructuralSchema(copy);
    }

    /** Validation errors of a whole Kubernetes object (root fields apiVersion, kind, metadata are left to the caller). */
    List<String> validateObject(JsonNode object) {
        ObjectNode body = object.deepCopy();
        OBJECT_ROOT_FIELDS.forEach(body::remove);
        List<String> errors = new ArrayList<>();
        validate(schema, body, "", errors);
        return errors;
    }

    List<String> validate(JsonNode value) {
        List<String> errors = new ArrayList<>();
        validate(schema, value, "", errors);
        return errors;
    }

    private static JsonNode nodeAt(JsonNode root, String... path) {
        JsonNode node = root;
        for (String p : path) {
            node = node.path("properties").path(p);
        }
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("no property " + String.join(".", path) + " in the schema");
        }
        return node;
    }

    private static void validate(JsonNode s, JsonNode v, String path, List<String> errors) {
        String at = path.isEmpty() ? "<root>" : path;
        if (v == null || v.isNull()) {
            if (!s.path("nullable").asBoolean(false)) {
                errors.add(at + ": null is not allowed");
            }
            return;
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!(v.isIntegralNumber() || v.isTextual())) {
                errors.add(at + ": must be an integer or a string, got " + v.getNodeType());
            }
            return;
        }
        if (s.has("anyOf")) {
            boolean any = false;
            for (JsonNode alt : s.get("anyOf")) {
                List<String> sub = new ArrayList<>();
                validate(alt, v, path, sub);
                any |= sub.isEmpty();
            }
            if (!any) {
                errors.add(at + ": matches none of anyOf " + s.get("anyOf"));
                return;
            }
        }
        String type = s.path("type").asText("");
        switch (type) {
            case "object" -> validateObject(s, v, path, at, errors);
            case "array" -> {
                if (!v.isArray()) {
                    errors.add(at + ": must be an array, got " + v.getNodeType());
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    validate(s.path("items"), v.get(i), path + "[" + i + "]", errors);
                }
            }
            case "string" -> check(v.isTextual(), at, "a string", v, errors);
            case "integer" -> check(v.isIntegralNumber(), at, "an integer", v, errors);
            case "number" -> check(v.isNumber(), at, "a number", v, errors);
            case "boolean" -> check(v.isBoolean(), at, "a boolean", v, errors);
            case "" -> {
                // No type: only x-kubernetes-preserve-unknown-fields or anyOf schemas, checked above.
            }
            default -> errors.add(at + ": schema type " + type + " not supported by this validator");
        }
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode e : s.get("enum")) {
                found |= e.equals(v);
            }
            if (!found) {
                errors.add(at + ": " + v + " is not one of " + s.get("enum"));
            }
        }
    }

    private static void validateObject(JsonNode s, JsonNode v, String path, String at, List<String> errors) {
        if (!v.isObject()) {
            errors.add(at + ": must be an object, got " + v.getNodeType());
            return;
        }
        JsonNode props = s.path("properties");
        JsonNode additional = s.get("additionalProperties");
        boolean preserveUnknown = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
            if (props.has(f.getKey())) {
                validate(props.get(f.getKey()), f.getValue(), child, errors);
            } else if (additional != null && additional.isObject()) {
                validate(additional, f.getValue(), child, errors);
            } else if (!preserveUnknown && !(additional != null && additional.asBoolean(false))) {
                errors.add(child + ": unknown field");
            }
        }
        for (JsonNode r : s.path("required")) {
            if (!v.has(r.asText())) {
                errors.add(at + ": missing required field " + r.asText());
            }
        }
    }

    private static void check(boolean ok, String at, String expected, JsonNode v, List<String> errors) {
        if (!ok) {
            errors.add(at + ": must be " + expected + ", got " + v.getNodeType() + " " + v);
        }
    }
}
