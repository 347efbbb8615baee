package io.recolens.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.recolens.connectors.decode.UnitKeys;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.connectors.iceberg.TableDefinitions;
import io.recolens.connectors.iceberg.TableReader;
import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.testkit.EmbeddedKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No raw user ID at rest: hostile input (broken JSON of several kinds, valid records the decoders reject, clicks,
 * baggage, OTLP spans with {@code enduser.id}, cut protobuf) goes through Kafka and the batch job into a warehouse;
 * then every column of every row of every table, the raw archive's and binary {@code raw} included, is searched for
 * each raw ID that went in.
 */
class NoRawUserIdAtRestITCase {
    private static final String SECRET = "privacy-test-secret-0123456789";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path warehouse;

    private static String id(int n) {
        return String.format("u-hostile-%02d-zq", n);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String impression(String impressionId, String trace, long ts, String extra) {
        return "{\"impression_id\":\"" + impressionId + "\",\"trace_id\":\"" + trace + "\",\"timestamp\":" + ts
                + ",\"experiments\":{\"rec_algorithm_v3\":\"hybrid\"},\"items\":[{\"item_id\":\"c-1\",\"position\":0,\"score\":0.5}]"
                + extra + "}";
    }

    private static Span span(String traceHex, String userId) {
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceHex)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("00f067aa0ba902b7")))
                .setName("GET /recommendations")
                .setStartTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                .setEndTimeUnixNano(System.currentTimeMillis() * 1_000_000L + 5_000_000L)
                .addAttributes(KeyValue.newBuilder().setKey("enduser.id").setValue(AnyValue.newBuilder().setStringValue(userId)))
                .build();
    }

    private static byte[] traces(Span span) {
        return TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("reco-api"))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray();
    }

    @Test
    void noTableHoldsAnyRawUserIdThatWentIn() throws Exception {
        long now = System.currentTimeMillis();
        Map<String, List<byte[]>> input = new TreeMap<>();
        input.put("reco.impressions", List.of(
                utf8(impression("good-1", TRACE, now, ",\"user_id\":\"" + id(0) + "\"")),
                utf8(impression("bad-trace", "not-a-trace", now, ",\"user_id\":\"" + id(1) + "\"")),
                utf8(impression("bad-time", TRACE, 0, ",\"user_id\":\"" + id(2) + "\",\"enduser.id\":\"" + id(3) + "\"")),
                utf8("{\"impression_id\":\"cut\",\"user_id\":\"" + id(4)),
                utf8("{\"user_id\": " + id(5) + ", \"trace_id\": }"),
                utf8("{\"user_id\":\"u-hostile-\\u0030\\u0036-zq\" , \"timestamp\": "),
                utf8(impression("bad-baggage", "nope", now, ",\"user_id\":\"x\",\"baggage\":\"experiment.a=b,user.id=" + id(7) + ";p=1\"")),
                utf8("garbage user.id=" + id(8) + " and more"),
                utf8("{\"userId\":\"" + id(9) + "\",\"pad\":\"" + "x".repeat(6000) + "\",\"user_id\":12345678901 broken")));
        input.put("reco.clicks", List.of(
                utf8("{\"click_id\":\"c-1\",\"impression_id\":\"never-served\",\"item_id\":\"c-1\",\"timestamp\":" + now
                        + ",\"user_id\":\"" + id(10) + "\"}"),
                utf8("{\"click_id\":\"c-2\",\"user_id\":\"" + id(11)),
                utf8("{\"click_id\":\"c-3\",\"userId\":\"" + id(12) + "\"}")));
        byte[] cut = traces(span(TRACE, id(15)));
        input.put("otlp_spans", List.of(
                traces(span(TRACE, id(13))),
                traces(span("0102030405060708", id(14))),
                Arrays.copyOf(cut, cut.length - 2),
                utf8("\u0001\u0002enduser.id\u0003" + id(16))));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= 16; i++) ids.add(id(i));
        ids.add("12345678901");

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, input.keySet().toArray(new String[0]));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                input.forEach((topic, values) -> values.forEach(v -> producer.send(new ProducerRecord<>(topic, v))));
                producer.flush();
            }
            Map<String, String> config = Map.of("mode", "batch", "kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "trace.gap", "10 s", "catalog.warehouse", warehouse.toString(), "catalog.namespace", "privacy", "archive.enabled", "true");
            JobSettings settings = JobSettings.from(ConfigReader.fromMap(config), Map.of("RECOLENS_UNIT_KEY_SECRET", SECRET));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            RecolensJob.run(settings, env);
        }

        Catalog catalog = RecolensCatalog.fromProperties(Map.of("warehouse", warehouse.toString(), "namespace", "privacy")).open();
        Map<String, Integer> rows = new TreeMap<>();
        StringBuilder everything = new StringBuilder();
        List<String> tables = new ArrayList<>(TableDefinitions.loadAll().keySet());
        tables.addAll(TableDefinitions.ARCHIVE_TABLES);
        for (String table : tables) {
            List<Record> records = TableReader.readAll(catalog, TableIdentifier.of("privacy", table));
            rows.put(table, records.size());
            for (Record r : records) {
                for (int i = 0; i < r.size(); i++) {
                    appendText(everything, r.get(i));
                }
                everything.append('\n');
            }
        }
        System.out.printf("privacy: rows per table %s, %d characters searched%n", rows, everything.length());
        assertThat(rows.get("dead_letters")).as("the hostile records were kept as dead letters").isEqualTo(13); // 8 impressions, 2 clicks, 3 span messages or spans
        assertThat(rows.get("lineage_history")).isEqualTo(1);
        assertThat(rows.get(TableDefinitions.RAW_IMPRESSIONS)).as("the raw archive holds the good impression").isEqualTo(1);
        assertThat(rows.get(TableDefinitions.RAW_SPANS)).isPositive();
        String all = everything.toString();
        assertThat(all).as("raw bytes are kept, with unit keys in place of the IDs").contains(new UnitKeys(SECRET).unitKey(id(1)));
        for (String rawId : ids) {
            assertThat(all).as("raw user ID %s at rest", rawId).doesNotContain(rawId);
        }
        assertThat(all).doesNotContain("hostile-\\u0030\\u0036");
        assertThat(all).doesNotContain("hostile");
    }

    /** Every value as text: strings, numbers, binary (as Latin-1 and UTF-8), nested structs, lists and maps. */
    private static void appendText(StringBuilder out, Object v) {
        if (v == null) return;
        if (v instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            out.append(new String(bytes, StandardCharsets.ISO_8859_1)).append('\u0000').append(new String(bytes, StandardCharsets.UTF_8));
        } else if (v instanceof byte[] bytes) {
            out.append(new String(bytes, StandardCharsets.ISO_8859_1)).append('\u0000').append(new String(bytes, StandardCharsets.UTF_8));
        } else if (v instanceof Record r) {
            for (int i = 0; i < r.size(); i++) appendText(out, r.get(i));
        } else if (v instanceof List<?> l) {
            l.forEach(x -> appendText(out, x));
        } else if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                appendText(out, k);
                appendText(out, x);
            });
        } else {
            out.append(v);
        }
        out.append('\u0000');
    }
}
