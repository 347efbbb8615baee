package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.LineageRow;
import io.recolens.model.TraceSummary;
import io.recolens.testkit.SerializerChecks;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;

/** The hand-written serializer of what trace assembly sends click attribution keeps rows and summary updates whole. */
class AttributionInputSerializerTest {
    private final AttributionInputSerializer serializer = AttributionInputSerializer.INSTANCE;

    @Test
    void rowsAndSummaryUpdatesRoundTripAsWithThePojoSerializer() throws Exception {
        List<AttributionInput> records = new ArrayList<>(SerializerChecks.randomRecords(AttributionInput.class, 7, 300));
        // What TraceAssembler really sends: a row, or a summary update without one.
        for (LineageRow row : SerializerChecks.randomRecords(LineageRow.class, 8, 50)) records.add(AttributionInput.row(row));
        for (TraceSummary summary : SerializerChecks.randomRecords(TraceSummary.class, 9, 50)) {
            records.add(AttributionInput.summaryUpdate("imp-1", "trace-1", summary, 42L));
        }
        records.add(SerializerChecks.allNull(AttributionInput.class));
        assertThat(SerializerChecks.problems(serializer, AttributionInput.class, records)).isEmpty();
    }

    @Test
    void theSerializerKnowsEveryField() {
        // A field added to AttributionInput must be written by AttributionInputSerializer, then added here.
        assertThat(Arrays.stream(AttributionInput.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getName))
                .containsExactlyInAnyOrder("impressionId", "row", "summary", "traceId", "eventTime");
    }

    @Test
    void theSideOutputTagCarriesTheTypeAndTheSnapshotRestoresTheSingleton() throws Exception {
        assertThat(TraceAssembler.TO_ATTRIBUTION.getTypeInfo()).isEqualTo(AttributionInputSerializer.TYPE);
        assertThat(AttributionInputSerializer.TYPE.createSerializer(new SerializerConfigImpl())).isSameAs(serializer);
        assertThat(AttributionInputSerializer.TYPE).isNotEqualTo(TypeInformation.of(AttributionInput.class));

        assertThat(SerializerChecks.snapshotProblems(serializer)).isEmpty();
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isSameAs(serializer);
    }
}
