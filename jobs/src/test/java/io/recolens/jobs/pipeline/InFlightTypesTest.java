package io.recolens.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.config.RecolensOptions;
import io.recolens.jobs.functions.AttributionInput;
import io.recolens.jobs.functions.AttributionInputSerializer;
import io.recolens.model.Impression;
import io.recolens.model.ImpressionSerializer;
import io.recolens.model.LineageRow;
import io.recolens.model.LineageRowSerializer;
import io.recolens.model.SpanRecord;
import io.recolens.model.SpanRecordSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.EitherSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Impressions, spans, lineage rows and attribution inputs travel between the job's operators with their
 * hand-written serializers, never the reflective POJO serializer (keyed state is not part of this check).
 */
class InFlightTypesTest {
    private static final Set<Class<?>> HAND_WRITTEN = Set.of(Impression.class, SpanRecord.class, LineageRow.class, AttributionInput.class);

    @Test
    void recordsInFlightUseTheHandWrittenSerializers(@TempDir Path dir) throws Exception {
        // Streaming from Kafka, as in production; building the graph does not reach the broker.
        JobSettings settings = JobSettings.from(ConfigReader.fromMap(Map.of("kafka.bootstrap-servers", "127.0.0.1:9",
                "catalog.warehouse", dir.resolve("wh").toString())), Map.of(RecolensOptions.UNIT_KEY_ENV, "in-flight-types-test-0123456789abcdef"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RecolensJob.build(settings, env);

        List<String> pojo = new ArrayList<>();
        Set<Class<?>> handWritten = new HashSet<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            List<TypeSerializer<?>> serializers = new ArrayList<>(Arrays.asList(node.getTypeSerializersIn()));
            serializers.add(node.getTypeSerializerOut());
            for (TypeSerializer<?> s : serializers) {
                TypeSerializer<?> record = s instanceof EitherSerializer<?, ?> either ? either.getRightSerializer() : s;
                if (record instanceof PojoSerializer<?> p && HAND_WRITTEN.contains(p.createInstance().getClass())) {
                    pojo.add(node.getOperatorName() + ": " + p.createInstance().getClass().getSimpleName());
                }
                if (record instanceof ImpressionSerializer) handWritten.add(Impression.class);
                if (record instanceof SpanRecordSerializer) handWritten.add(SpanRecord.class);
                if (record instanceof LineageRowSerializer) handWritten.add(LineageRow.class);
                if (record instanceof AttributionInputSerializer) handWritten.add(AttributionInput.class);
            }
        }
        assertThat(pojo).as("streams still serialized by reflection").isEmpty();
        assertThat(handWritten).isEqualTo(HAND_WRITTEN);
    }
}
