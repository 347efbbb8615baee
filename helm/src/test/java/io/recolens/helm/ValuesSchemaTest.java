package io.recolens.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recolens.jobs.config.RecolensOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses unknown keys and wrong types, the templates refuse what a schema cannot say, and every value is documented. */
class ValuesSchemaTest {
    /** Job options the chart sets itself or never takes from values (secrets, the demo switch, file input). */
    private static final Set<String> CHART_MANAGED_JOB_KEYS = Set.of("mode", "input", "input.path", "unit-key.secret", "demo", "restore.require-state");

    private static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(HelmChart.chartDir().resolve("values.schema.json").toFile());
    }

    private static String refusal(String name, String yaml) {
        Path file = HelmChart.writeValues(name + ".yaml", yaml);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> HelmChart.template(List.of(file), Map.of()));
        assertThat(t).as("values %s must be refused", yaml).isNotNull();
        return t.getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown top-level key   | replicas: 3                                          | replicas",
        "typo in a nested key    | 'streaming: {upgradeMod: savepoint}'                 | upgradeMod",
        "wrong type              | 'streaming: {parallelism: four}'                     | parallelism",
        "stateless upgrade mode  | 'streaming: {upgradeMode: stateless}'                | upgradeMode",
        "unknown job option      | 'job: {options: {kafka.bootstrap-server: k:9092}}'   | kafka.bootstrap-server",
        "job option not a string | 'job: {options: {limits.segments: 64}}'              | limits.segments",
        "HMAC key in values      | 'job: {options: {unit-key.secret: abc}}'             | unit-key.secret",
        "demo key in a cluster   | 'streaming: {options: {demo: \"true\"}}'             | demo",
        "relative checkpoint dir | 'storage: {checkpointsDir: checkpoints}'             | checkpointsDir",
        "backfill date not UTC   | 'backfill: {enabled: true, from: \"2026-11-20\", to: \"2026-11-21T00:00:00Z\"}' | from",
        "unknown Flink version   | 'flink: {version: v1_20}'                            | version",
        "alert threshold a word  | 'metrics: {prometheusRule: {noCommitIntervals: ten}}' | noCommitIntervals",
        "unknown alert key       | 'metrics: {prometheusRule: {deadLetterRate: 1}}'     | deadLetterRate",
    })
    void schemaRefusesBadValuesNamingTheKey(String why, String yaml, String key) {
        String message = refusal(why.replace(' ', '-'), yaml);
        assertThat(message).as(why).contains("values don't meet the specifications of the schema").contains(key);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "last-state without HA   | 'streaming: {upgradeMode: last-state}, highAvailability: {enabled: false}' | streaming.upgradeMode last-state needs highAvailability.enabled=true",
        "standby JM without HA   | 'jobManager: {replicas: 2}, highAvailability: {enabled: false}'            | jobManager.replicas > 1 needs highAvailability.enabled=true",
        "catalog secret in values| 'job: {options: {catalog.credential: \"id:secret\"}}'                     | job.options.catalog.credential looks like a secret",
        "jaas config in values   | 'streaming: {options: {kafka.properties.sasl.jaas.config: x}}'             | streaming.options.kafka.properties.sasl.jaas.config looks like a secret",
        "backfill without range  | 'backfill: {enabled: true}'                                                | backfill.enabled needs backfill.from and backfill.to",
        "backfill range reversed | 'backfill: {enabled: true, from: \"2026-11-21T00:00:00Z\", to: \"2026-11-20T00:00:00Z\"}' | backfill.to (2026-11-20T00:00:00Z) must be after backfill.from",
        "existing SA unnamed     | 'serviceAccount: {create: false}'                                          | serviceAccount.name is required when serviceAccount.create is false",
    })
    void templatesRefuseWhatTheSchemaCannotSay(String why, String yaml, String expected) {
        String message = refusal(why.replace(' ', '-'), "{" + yaml + "}");
        assertThat(message).as(why).contains(expected);
    }

    @Test
    void everyObjectInTheSchemaRefusesUnknownKeys() throws IOException {
        List<String> open = new ArrayList<>();
        walk(schema(), "", open);
        assertThat(open).as("objects without additionalProperties false or a typed map").isEmpty();
    }

    private static void walk(JsonNode s, String path, List<String> open) {
        if (s.has("properties") && !s.path("additionalProperties").isBoolean()) {
            open.add(path + " has properties but additionalProperties is not false");
        } else if (s.path("additionalProperties").isBoolean() && s.path("additionalProperties").asBoolean()) {
            open.add(path + " allows any key");
        } else if ("object".equals(s.path("type").asText()) && !s.has("additionalProperties")) {
            open.add(path + " is an object without additionalProperties");
        }
        if (s.has("properties")) {
            s.get("properties").fields().forEachRemaining(f -> walk(f.getValue(), path + "." + f.getKey(), open));
        }
        if (s.has("patternProperties")) {
            s.get("patternProperties").fields().forEachRemaining(f -> walk(f.getValue(), path + "[" + f.getKey() + "]", open));
        }
        if (s.has("items")) {
            walk(s.get("items"), path + "[]", open);
        }
        if (s.path("additionalProperties").isObject()) {
            walk(s.get("additionalProperties"), path + ".*", open);
        }
    }

    @Test
    void schemaOffersExactlyTheJobsOptionsLessTheChartManagedOnes() throws IOException {
        JsonNode options = schema().at("/properties/job/properties/options");
        Set<String> inSchema = new TreeSet<>();
        options.path("properties").fieldNames().forEachRemaining(inSchema::add);
        Set<String> jobKeys = RecolensOptions.ALL.stream().map(ConfigOption::key)
                .filter(k -> !CHART_MANAGED_JOB_KEYS.contains(k)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(inSchema).isEqualTo(jobKeys);
        Set<String> patterns = new TreeSet<>();
        options.path("patternProperties").fieldNames().forEachRemaining(patterns::add);
        assertThat(patterns).containsExactlyInAnyOrder("^catalog\\.[A-Za-z0-9._-]+$", "^kafka\\.properties\\.[A-Za-z0-9._-]+$");
        assertThat(RecolensOptions.CATALOG_PREFIX).isEqualTo("catalog.");
        assertThat(RecolensOptions.KAFKA_PROPERTIES_PREFIX).isEqualTo("kafka.properties.");
        // The streaming and backfill option maps take the same keys.
        JsonNode props = schema().path("properties");
        for (String scope : List.of("streaming", "backfill")) {
            com.fasterxml.jackson.databind.node.ObjectNode same = ((com.fasterxml.jackson.databind.node.ObjectNode) props.at("/" + scope + "/properties/options")).deepCopy();
            same.set("description", options.get("description"));
            assertThat(same).as("%s.options", scope).isEqualTo(options);
        }
    }

    @Test
    void everyValueIsDocumentedWithAHelmDocsComment() throws IOException {
        List<String> lines = Files.readAllLines(HelmChart.chartDir().resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        // Indentation -> whether the enclosing key carries a "# --" comment (then its children are documented with it).
        Map<Integer, Boolean> documentedAt = new java.util.TreeMap<>();
        Map<Integer, String> keyAt = new java.util.TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("- ") || !trimmed.contains(":")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            documentedAt.keySet().removeIf(k -> k >= indent);
            keyAt.keySet().removeIf(k -> k >= indent);
            boolean ancestorDocumented = documentedAt.values().stream().anyMatch(b -> b);
            boolean own = hasDocComment(lines, i);
            String key = trimmed.substring(0, trimmed.indexOf(':'));
            String value = trimmed.substring(trimmed.indexOf(':') + 1).strip();
            boolean leaf = !value.isEmpty();
            if (leaf && !own && !ancestorDocumented) {
                undocumented.add(String.join(".", keyAt.values()) + (keyAt.isEmpty() ? "" : ".") + key);
            }
            documentedAt.put(indent, own);
            keyAt.put(indent, key);
        }
        assertThat(undocumented).as("values without a '# --' comment").isEmpty();
    }

    /** The comment block right above line i opens with "# --". */
    private static boolean hasDocComment(List<String> lines, int i) {
        int j = i - 1;
        String first = null;
        while (j >= 0 && lines.get(j).strip().startsWith("#")) {
            first = lines.get(j).strip();
            j--;
        }
        return first != null && first.startsWith("# --");
    }

    @Test
    void chartReadmeListsEveryTopLevelValue() throws IOException {
        JsonNode values = HelmChart.YAML.readTree(HelmChart.chartDir().resolve("values.yaml").toFile());
        String readme = Files.readString(HelmChart.chartDir().resolve("README.md"));
        List<String> missing = new ArrayList<>();
        values.fieldNames().forEachRemaining(k -> {
            if (!readme.contains("| `" + k)) {
                missing.add(k);
            }
        });
        assertThat(missing).as("values missing from the README table").isEmpty();
    }

    @Test
    void everyValueInValuesYamlIsInTheSchema() throws IOException {
        JsonNode values = HelmChart.YAML.readTree(HelmChart.chartDir().resolve("values.yaml").toFile());
        List<String> missing = new ArrayList<>();
        compare(values, schema(), "", missing);
        assertThat(missing).isEmpty();
    }

    private static void compare(JsonNode value, JsonNode s, String path, List<String> missing) {
        if (!value.isObject() || !s.has("properties")) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode sub = s.path("properties").get(f.getKey());
            if (sub == null) {
                if (s.has("patternProperties")) {
                    continue;
                }
                missing.add(path + "." + f.getKey());
            } else {
                assertThat(sub.path("description").asText()).as("description of %s.%s", path, f.getKey()).isNotBlank();
                compare(f.getValue(), sub, path + "." + f.getKey(), missing);
            }
        }
    }
}
