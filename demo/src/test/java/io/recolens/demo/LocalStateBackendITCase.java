package io.recolens.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.jobs.config.FlinkOptions;
import io.recolens.jobs.config.RecolensOptions.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/recolens run's local Flink with the job's production defaults really checkpoints with RocksDB: an
 * incremental RocksDB checkpoint uploads its SST files (under generated names) to the job's shared/ folder; the
 * heap backend has no incremental checkpoints and leaves shared/ empty.
 */
class LocalStateBackendITCase {
    @Test
    void productionDefaultsCheckpointWithRocksDb(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        // Small state files are otherwise inlined into _metadata: write every file out so the backend's own show.
        StreamExecutionEnvironment env = LocalFlink.environment(0, 1, checkpoints, null,
                Map.of("execution.checkpointing.data-inline-threshold", "0 b"));
        env.configure(FlinkOptions.productionDefaults(Mode.STREAMING, Map.of(), env.getConfiguration()));
        env.enableCheckpointing(500);
        env.fromSequence(0, Long.MAX_VALUE).keyBy(i -> i % 1000).map(new Count()).sinkTo(new Discard());
        JobClient job = env.executeAsync("state backend check");
        try {
            long deadline = System.currentTimeMillis() + Duration.ofSeconds(90).toMillis();
            while (sharedFiles(checkpoints) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
            assertThat(sharedFiles(checkpoints)).as("incremental RocksDB files under <checkpoints>/<job>/shared").isPositive();
        } finally {
            job.cancel().get();
        }
    }

    private static long sharedFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getParent().getFileName().toString().equals("shared")).count();
        }
    }

    /** Keeps a count per key so the job has keyed state to checkpoint. */
    static final class Count extends RichMapFunction<Long, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public Long map(Long value) throws Exception {
            long n = count.value() == null ? 1 : count.value() + 1;
            count.update(n);
            return n;
        }
    }

    /** Drops every record. */
    static final class Discard implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Long element, Context c) {}

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
