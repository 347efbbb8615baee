package io.recolens.connectors.decode;

import static io.recolens.connectors.decode.TestRecords.raw;
import static io.recolens.connectors.decode.TestRecords.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.DeadLetter;
import io.recolens.model.FeatureRef;
import io.recolens.model.Impression;
import io.recolens.model.SlateItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImpressionJsonDecoderTest {
    private static final String FULL = "{ \"impression_id\": \"imp-0001\","
            + " \"trace_id\": \"4BF92F3577B34DA6A3CE929D0E0E4736\","
            + " \"lineage_id\": \"lin-ranker-3.2.1-fs-v12\", \"user_id\": \"u-123\", \"session_id\": \"s-9\","
            + " \"surface\": \"home_feed\", \"timestamp\": \"2026-11-21T10:00:00.123Z\","
            + " \"experiments\": { \"rec_algorithm_v3\": \"hybrid\", \"ranking_boost_v2\": \"control\" },"
            + " \"model\": { \"name\": \"ranker\", \"version\": \"3.2.1\" },"
            + " \"features\": { \"user_embedding\": { \"version\": \"v12\", \"hash\": \"sha256:ab\" } },"
            + " \"items\": [ { \"item_id\": \"c-1\", \"position\": 0, \"score\": 0.93 }, { \"item_id\": \"c-2\", \"position\": 1, \"score\": 0.5 } ],"
            + " \"baggage\": \"experiment.rec_algorithm_v3=hybrid,user.cohort=new,user.email=a%40b.c\" }";

    private ImpressionJsonDecoder decoder;

    @BeforeEach
    void setUp() {
        decoder = new ImpressionJsonDecoder(TestRecords.settings());
        decoder.open();
    }

    @Test
    void decodesAllFields() {
        Impression imp = run(decoder, raw(FULL)).single();
        assertThat(imp.impressionId).isEqualTo("imp-0001");
        assertThat(imp.traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(imp.lineageId).isEqualTo("lin-ranker-3.2.1-fs-v12");
        assertThat(imp.unitKey).isEqualTo(new UnitKeys(TestRecords.SECRET).unitKey("u-123")).isNotEqualTo("u-123");
        assertThat(imp.sessionId).isEqualTo("s-9");
        assertThat(imp.surface).isEqualTo("home_feed");
        assertThat(imp.servedAt).isEqualTo(Instant.parse("2026-11-21T10:00:00.123Z").toEpochMilli());
        assertThat(imp.experiments).containsExactlyInAnyOrderEntriesOf(
                Map.of("rec_algorithm_v3", "hybrid", "ranking_boost_v2", "control"));
        assertThat(imp.baggageExperiments).containsExactlyEntriesOf(Map.of("rec_algorithm_v3", "hybrid"));
        assertThat(imp.segment).isEqualTo("new");
        assertThat(imp.modelName).isEqualTo("ranker");
        assertThat(imp.modelVersion).isEqualTo("3.2.1");
        assertThat(imp.features).containsExactly(new FeatureRef("user_embedding", "v12", "sha256:ab"));
        assertThat(imp.items).containsExactly(new SlateItem("c-1", 0, 0.93), new SlateItem("c-2", 1, 0.5));
    }

    @Test
    void userIdAndNonAllowListedBaggageAreNotStoredAnywhere() {
        Impression imp = run(decoder, raw(FULL)).single();
        assertThat(imp.toString()).doesNotContain("u-123");
        assertThat(imp.baggageExperiments.toString() + imp.segment).doesNotContain("a@b.c").doesNotContain("email");
    }

    @Test
    void minimalRecordGetsDefaults() {
        Impression imp = run(decoder, raw("{\"impression_id\":\"i\",\"trace_id\":\"" + "a".repeat(32)
                + "\",\"timestamp\":1795260000000,\"user_id\":\"u\",\"experiments\":{}}")).single();
        assertThat(imp.servedAt).isEqualTo(1795260000000L);
        assertThat(imp.surface).isEqualTo("unknown");
        assertThat(imp.segment).isEqualTo("none");
        assertThat(imp.experiments).isEmpty();
        assertThat(imp.items).isEmpty();
        assertThat(imp.features).isEmpty();
        assertThat(imp.lineageId).isNull();
    }

    @Test
    void segmentComesFromFieldOrCohortWhenBaggageHasNone() {
        String base = "{\"impression_id\":\"i\",\"trace_id\":\"" + "a".repeat(32)
                + "\",\"timestamp\":1795260000000,\"user_id\":\"u\",\"experiments\":{}";
        assertThat(run(decoder, raw(base + ",\"segment\":\"power\"}")).single().segment).isEqualTo("power");
        assertThat(run(decoder, raw(base + ",\"cohort\":\"casual\"}")).single().segment).isEqualTo("casual");
        assertThat(run(decoder, raw(base + ",\"segment\":\"power\",\"baggage\":\"user.cohort=new\"}")).single().segment)
                .isEqualTo("new");
    }

    @Test
    void unknownFieldsOfAnyShapeAreSkipped() {
        String json = FULL.substring(0, FULL.length() - 1)
                + ", \"extra\": {\"deep\": [1, {\"x\": null}]}, \"flag\": true, \"n\": null }";
        assertThat(run(decoder, raw(json)).single().impressionId).isEqualTo("imp-0001");
    }

    @Test
    void isoTimestampWithOffsetAndEpochMillisAsString() {
        String base = "{\"impression_id\":\"i\",\"trace_id\":\"" + "a".repeat(32) + "\",\"user_id\":\"u\",\"experiments\":{},";
        assertThat(run(decoder, raw(base + "\"timestamp\":\"2026-11-21T11:00:00+01:00\"}")).single().servedAt)
                .isEqualTo(Instant.parse("2026-11-21T10:00:00Z").toEpochMilli());
        assertThat(run(decoder, raw(base + "\"timestamp\":\"1795260000000\"}")).single().servedAt)
                .isEqualTo(1795260000000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "\"1970-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "253402300799000",
            "\"1999-12-31T23:59:59.999Z\"", "\"2026-11-23T12:00:00Z\"", "99999999999999999999", "1.5e12"})
    void absurdTimestampsAreDeadLetters(String ts) {
        String json = "{\"impression_id\":\"i\",\"trace_id\":\"" + "a".repeat(32)
                + "\",\"user_id\":\"u\",\"experiments\":{},\"timestamp\":" + ts + "}";
        DeadLetter dl = run(decoder, raw(json)).singleDeadLetter();
        assertThat(dl.error).contains("timestamp");
        assertThat(dl.kind).isEqualTo("impression");
    }

    @Test
    void timestampWithinTheFutureSkewIsAccepted() {
        String json = "{\"impression_id\":\"i\",\"trace_id\":\"" + "a".repeat(32)
                + "\",\"user_id\":\"u\",\"experiments\":{},\"timestamp\":\"2026-11-22T11:59:00Z\"}";
        assertThat(run(decoder, raw(json)).single()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"impression_id", "trace_id", "timestamp", "user_id", "experiments"})
    void missingRequiredFieldIsADeadLetter(String field) {
        String json = "{\"impression_id\":\"i\",\"trace_id\":\"" + "a".repeat(32)
                + "\",\"timestamp\":1795260000000,\"user_id\":\"u\",\"experiments\":{}}";
        String without = json.replaceFirst("\"" + field + "\":(\\{\\}|\"[^\"]*\"|\\d+),?", "").replace(",}", "}");
        DeadLetter dl = run(decoder, raw(without)).singleDeadLetter();
        assertThat(dl.error).isEqualTo("required field '" + field + "' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "4bf92f3577b34da6a3ce929d0e0e473", "4bf92f3577b34da6a3ce929d0e0e4736ff",
            "zzf92f3577b34da6a3ce929d0e0e4736", "00000000000000000000000000000000"})
    void invalidTraceIdIsADeadLetter(String traceId) {
        String json = "{\"impression_id\":\"i\",\"trace_id\":\"" + traceId
                + "\",\"timestamp\":1795260000000,\"user_id\":\"u\",\"experiments\":{}}";
        assertThat(run(decoder, raw(json)).singleDeadLetter().error).contains("trace_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "[1,2]", "{\"impression_id\": }", "{\"a\":1} trailing", "\"str\"",
            "{\"impression_id\":\"i\",\"experiments\":[1]}", "{\"items\": {}}"})
    void malformedJsonIsADeadLetterNotAnException(String json) {
        DeadLetter dl = run(decoder, raw(json)).singleDeadLetter();
        assertThat(dl.error).isNotBlank();
        assertThat(dl.source).isEqualTo("topic-a");
        assertThat(dl.partition).isEqualTo(3);
        assertThat(dl.offset).isEqualTo(42L);
        assertThat(dl.raw).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyNullAndRandomBytesAreDeadLetters() {
        assertThat(run(decoder, raw(new byte[0])).singleDeadLetter().error).isEqualTo("empty record");
        assertThat(run(decoder, raw((byte[]) null)).singleDeadLetter().error).isEqualTo("empty record");
        byte[] random = new byte[512];
        new java.util.Random(7).nextBytes(random);
        assertThat(run(decoder, raw(random)).singleDeadLetter().error).isNotBlank();
    }

    @Test
    void baggageIsReadUpTo64MembersAndWhatIsIgnoredIsReported() {
        // Issue 13: W3C asks receivers to read 64 members / 8,192 bytes; the rest is ignored and counted, the
        // impression kept (it was a dead letter before, which let one header throw away a whole impression).
        String json = FULL.replace("\"baggage\": \"", "\"baggage\": \"" + "k=v,".repeat(200));
        Impression imp = run(decoder, raw(json)).single();
        assertThat(imp.baggageExperiments).isEmpty();
        assertThat(imp.trimmed).contains("list-members past 64 ignored");
        assertThat(imp.experiments).containsEntry("rec_algorithm_v3", "hybrid");
    }

    @Test
    void oversizedRecordIsADeadLetter() {
        ImpressionJsonDecoder small = new ImpressionJsonDecoder(DecoderSettings.builder("s").maxRecordBytes(100).build());
        small.open();
        assertThat(run(small, raw(FULL)).singleDeadLetter().error).contains("over the limit of 100");
    }

    @Test
    void decodesWithoutExplicitOpen() {
        ImpressionJsonDecoder fresh = new ImpressionJsonDecoder(TestRecords.settings());
        assertThat(run(fresh, raw(FULL)).single().impressionId).isEqualTo("imp-0001");
    }
}
