package io.recolens.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.java.tuple.Tuple2;
import org.junit.jupiter.api.Test;

class TraceKeysTest {
    @Test
    void aHexTraceIdIsItsOwn128BitsWhateverTheCase() {
        Tuple2<Long, Long> key = TraceKeys.of("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(key).isEqualTo(Tuple2.of(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L));
        assertThat(TraceKeys.of("4BF92F3577B34DA6A3CE929D0E0E4736")).isEqualTo(key);
        assertThat(TraceKeys.of("ffffffffffffffffffffffffffffffff")).isEqualTo(Tuple2.of(-1L, -1L));
    }

    @Test
    void distinctIdsGetDistinctKeys() {
        java.util.Set<Tuple2<Long, Long>> keys = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            keys.add(TraceKeys.of(String.format("%032x", (long) i * 7919)));
            keys.add(TraceKeys.of("t" + i));
        }
        assertThat(keys).hasSize(200_000);
    }

    @Test
    void theKeySerializesToFixedLengthSoBatchSortsCompareBytes() {
        // Flink's sorted batch input picks a fixed-length byte comparator when the key serializer has a length.
        assertThat(TraceKeys.TYPE.createSerializer(new ExecutionConfig().getSerializerConfig()).getLength()).isEqualTo(16);
    }
}
