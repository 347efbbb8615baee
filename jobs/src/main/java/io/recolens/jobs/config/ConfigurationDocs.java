package io.recolens.jobs.config;

import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.CatalogKeys;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

/**
 * Generates docs/configuration.md from {@link RecolensOptions#ALL} (key, type, default, description) and the key
 * families the job checks; {@code ConfigurationDocsTest} fails when the committed file differs from what this writes.
 */
public final class ConfigurationDocs {
    private ConfigurationDocs() {}

    /** The command that rewrites the file; printed by the staleness test. */
    public static final String REGENERATE = "mvn -B -o -q -pl jobs -am -DskipITs -Dtest=ConfigurationDocsTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dregenerate=true verify";

    /** Writes the reference to {@code args[0]} (default docs/configuration.md under the working directory). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        Files.writeString(out, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The whole Markdown file. */
    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n");
        md.append("<!-- Generated from RecolensOptions by io.recolens.jobs.config.ConfigurationDocs: do not edit by hand.\n");
        md.append("     Regenerate: ").append(REGENERATE).append(" -->\n\n");
        md.append("Options come from, lowest precedence first: the defaults below, the `--config` properties file, then `--key value`\n");
        md.append("flags. An unknown key or a bad value stops the job at start with a message naming the key, the closest valid\n");
        md.append("key and the fix. Durations are written like `30 s`, `5 min`, `1 h`, `7 d`.\n\n");
        md.append("## Job options\n\n");
        md.append("| key | type | default | description |\n|---|---|---|---|\n");
        List<ConfigOption<?>> options = new ArrayList<>(RecolensOptions.ALL);
        options.sort(Comparator.comparing(ConfigOption::key));
        for (ConfigOption<?> o : options) {
            String description = text(o);
            List<String> deprecated = new ArrayList<>();
            for (FallbackKey k : o.fallbackKeys()) {
                deprecated.add("`" + k.getKey() + "`");
            }
            if (!deprecated.isEmpty() && !description.contains("Deprecated key")) {
                description += " Deprecated key: " + String.join(", ", deprecated) + ".";
            }
            md.append("| `").append(o.key()).append("` | ").append(type(o)).append(" | ").append(defaultValue(o)).append(" | ")
                    .append(cell(description)).append(" |\n");
        }
        md.append("\n## The HMAC key for user IDs\n\n");
        md.append("Three sources: `").append(RecolensOptions.UNIT_KEY_SECRET_FILE.key()).append("` (a mounted file), the environment variable `")
                .append(RecolensOptions.UNIT_KEY_ENV).append("`, and `").append(RecolensOptions.UNIT_KEY_SECRET.key())
                .append("`\n(local runs). Set one; when several are set they must hold the same key, otherwise the job refuses to\n")
                .append("start and names both sources (never the keys). The job graph carries only where to read the key and a one-way\n")
                .append("key id; each TaskManager reads the key at `open()`, in this order: the file, the environment variable, a key\n")
                .append("known to the JVM that started the job (local runs), and fails if what it finds has another key id.\n");
        md.append("\n## `catalog.*`: the Iceberg catalog\n\n");
        md.append("Checked against what the chosen `catalog.type` reads; an unknown key fails naming the closest valid one. Exact keys\n");
        md.append("come from Iceberg's own property classes; key families are passed by prefix. A key a newer Iceberg reads that is\n");
        md.append("not listed here can be passed anyway by naming it in `catalog.").append(CatalogKeys.PASS_THROUGH_KEYS)
                .append("`\n(comma-separated). With `catalog.catalog-impl` (a custom catalog) only near misses of the keys below are refused.\n\n");
        md.append("| key | default | meaning |\n|---|---|---|\n");
        md.append("| `catalog.type` | `").append(CatalogConfig.DEFAULT_TYPE).append("` | `hadoop`, `rest`, `hive`, `jdbc`, `glue`, `nessie`; ")
                .append("or leave it unset and set `catalog.catalog-impl` (docs/catalogs.md) |\n");
        md.append("| `catalog.warehouse` | `").append(CatalogConfig.DEFAULT_WAREHOUSE).append("` (hadoop) | warehouse location; a path ")
                .append("without a scheme is made absolute from where the job starts |\n");
        md.append("| `catalog.uri` | (none) | catalog endpoint: required for `rest`, `hive`, `jdbc`, `nessie` |\n");
        md.append("| `catalog.namespace` | `").append(CatalogConfig.DEFAULT_NAMESPACE).append("` | namespace of the output tables (dots nest) |\n");
        md.append("| `catalog.name` | `").append(CatalogConfig.DEFAULT_NAME).append("` | catalog name Iceberg uses in logs and metrics |\n");
        md.append("| `catalog.io-impl` | (the catalog's) | FileIO class; decides which storage keys below are read |\n");
        md.append("| `catalog.").append(CatalogKeys.PASS_THROUGH_KEYS).append("` | (none) | keys passed to the catalog unchecked |\n\n");
        md.append("Every type also reads: ").append(String.join(", ", CatalogKeys.commonKeys().stream()
                .filter(k -> !List.of("type", "warehouse", "uri", "namespace", "name", "io-impl", CatalogKeys.PASS_THROUGH_KEYS).contains(k))
                .map(k -> "`" + k + "`").toList())).append(".\n\n");
        md.append("| `catalog.type` | further keys | key families |\n|---|---|---|\n");
        for (String type : List.of("hadoop", "rest", "hive", "jdbc", "glue", "nessie", "custom")) {
            Set<String> extra = CatalogKeys.typeKeys(type);
            md.append("| `").append(type).append("` | ")
                    .append(extra.isEmpty() ? "-" : String.join(", ", extra.stream().map(k -> "`" + k + "`").toList())).append(" | ")
                    .append(String.join(", ", CatalogKeys.typePrefixes(type).stream().map(k -> "`" + k + "*`").toList())).append(" |\n");
        }
        md.append("\nStorage keys follow `catalog.io-impl`: `S3FileIO` reads ")
                .append(families(CatalogKeys.storagePrefixes("org.apache.iceberg.aws.s3.S3FileIO"))).append(", `GCSFileIO` ")
                .append(families(CatalogKeys.storagePrefixes("org.apache.iceberg.gcp.gcs.GCSFileIO"))).append(", `ADLSFileIO` ")
                .append(families(CatalogKeys.storagePrefixes("org.apache.iceberg.azure.adlsv2.ADLSFileIO")))
                .append("; without `io-impl` (the catalog or `ResolvingFileIO` decides) all of them pass. A storage key another FileIO reads is refused.\n");
        md.append("\n## `kafka.properties.*`: the Kafka consumer\n\n");
        md.append("Any Kafka consumer configuration (`ConsumerConfig.configNames()` of kafka-clients) or Flink Kafka source option\n");
        md.append("(`client.id.prefix`, `partition.discovery.interval.ms`, `register.consumer.metrics`, `commit.offsets.on.checkpoint`),\n");
        md.append("e.g. `kafka.properties.security.protocol=SASL_SSL`. `bootstrap.servers` and `group.id` are refused (use\n");
        md.append("`kafka.bootstrap-servers`, `kafka.group-id`), and so are the deserializers (the job reads bytes).\n");
        md.append("\n## `flink.*`: Flink options\n\n");
        md.append("`flink.<key>` passes `<key>` to the job's Flink configuration, e.g. `flink.state.backend.type=rocksdb`,\n");
        md.append("`flink.execution.checkpointing.dir=s3://bucket/recolens/checkpoints`. Keys are checked against Flink 2.1's option\n");
        md.append("classes (plus RocksDB's); plugin families pass by prefix: ")
                .append(families(FlinkOptions.PASS_THROUGH_PREFIXES)).append(".\n\n");
        md.append("In streaming the job sets, where neither `flink.*` nor the cluster's configuration does: `state.backend.type`\n");
        md.append("`rocksdb` with `execution.checkpointing.incremental` `true` (`hashmap` where RocksDB is not on the classpath),\n");
        md.append("`execution.checkpointing.storage` `filesystem` when a checkpoint directory is known, and\n");
        md.append("`execution.checkpointing.externalized-checkpoint-retention` `RETAIN_ON_CANCELLATION`. A streaming job submitted to a\n");
        md.append("cluster refuses to start without `execution.checkpointing.dir` (in `flink.*` or the cluster's configuration).\n\n");
        md.append("Refused, because the job needs otherwise: `execution.runtime-mode` other than `mode`; `execution.checkpointing.interval`\n");
        md.append("(use `checkpoint.interval`, the Iceberg commit interval; checkpoints cannot be switched off in streaming);\n");
        md.append("`execution.checkpointing.mode` other than `EXACTLY_ONCE`; `pipeline.generic-types=true`; `execution.checkpointing.storage=jobmanager`\n");
        md.append("in streaming; a `state.backend.type` that is neither `rocksdb`, `hashmap` nor a factory class.\n\n");
        md.append("Process memory (`taskmanager.memory.*`, `jobmanager.memory.*`) takes effect where the job creates its own Flink\n");
        md.append("(`bin/recolens run|backfill|demo`); on a cluster it is the cluster's setting (config.yaml, the Helm chart's\n");
        md.append("`flinkConfiguration`), and the job's value is ignored by Flink.\n");
        return md.toString();
    }

    private static String families(List<String> prefixes) {
        return String.join(", ", prefixes.stream().map(p -> "`" + p + "*`").toList());
    }

    private static String type(ConfigOption<?> o) {
        Class<?> clazz = clazz(o);
        String name = clazz.isEnum() ? "enum" : clazz.getSimpleName();
        return isList(o) ? "List<" + name + ">" : name;
    }

    private static String defaultValue(ConfigOption<?> o) {
        if (!o.hasDefaultValue()) return "(none)";
        Object v = o.defaultValue();
        String s;
        if (v instanceof Duration d) {
            s = TimeUtils.formatWithHighestUnit(d);
        } else if (v instanceof Enum<?> e) {
            s = e.name().toLowerCase(Locale.ROOT);
        } else if (v instanceof List<?> list) {
            s = String.join(";", list.stream().map(String::valueOf).toList());
        } else {
            s = String.valueOf(v);
        }
        return s.isEmpty() ? "(empty)" : "`" + s + "`";
    }

    private static String text(ConfigOption<?> o) {
        StringBuilder sb = new StringBuilder();
        for (BlockElement block : o.description().getBlocks()) {
            if (block instanceof TextElement t) {
                sb.append(t.getFormat());
            }
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    // ConfigOption keeps its value class package-private; Flink's own docs generator reads it the same way.
    private static Class<?> clazz(ConfigOption<?> o) {
        return (Class<?>) invoke(o, "getClazz");
    }

    private static boolean isList(ConfigOption<?> o) {
        return (Boolean) invoke(o, "isList");
    }

    private static Object invoke(ConfigOption<?> o, String method) {
        try {
            Method m = ConfigOption.class.getDeclaredMethod(method);
            m.setAccessible(true);
            return m.invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + method + " of " + o.key(), e);
        }
    }
}
