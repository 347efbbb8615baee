package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** The new state and envelope types are Flink POJOs that serialize without Kryo (the job sets pipeline.generic-types: false). */
class StateTypesTest {
    @Test
    void stateTypesAreKryoFreePojos() {
        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false);
        for (Class<?> type : List.of(OpenTrace.class, ClosedTrace.class, LateSpans.class, AttributionInput.class, PendingClick.class, ClickTally.class,
                Provenance.class, HashClaim.class, io.recolens.model.CompletenessRow.class, io.recolens.model.FeatureRef.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            assertThatCode(() -> info.createSerializer(noGenerics)).as(type.getSimpleName()).doesNotThrowAnyException();
        }
    }
}
