package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.jobs.RecolensJob;
import io.recolens.jobs.config.RecolensOptions.Mode;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** flink.* options reach the job's Flink configuration, typos and contradictions fail at start, defaults fill the gaps. */
class FlinkOptionsTest {
    private static JobSettings settings(Map<String, String> extra) {
        return ConfigTrustTest.settings(extra);
    }

    @Test
    void flinkOptionsReachTheJobConfiguration() {
        JobSettings s = settings(Map.of("flink.state.backend.type", "hashmap", "flink.execution.checkpointing.dir", "file:///tmp/ck",
                "flink.taskmanager.memory.managed.fraction", "0.5", "flink.restart-strategy.type", "exponential-delay"));
        Configuration conf = RecolensJob.flinkConfiguration(s);
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/ck");
        assertThat(conf.toMap()).containsEntry("restart-strategy.type", "exponential-delay");
    }

    @Test
    void flinkTypoFailsNamingTheClosest() {
        assertThatThrownBy(() -> settings(Map.of("flink.state.backend.typ", "rocksdb")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'flink.state.backend.typ': not a Flink option")
                .hasMessageContaining("did you mean flink.state.backend.type?");
        // Plugin families pass: file systems and metric reporters define their own keys.
        assertThat(settings(Map.of("flink.s3.endpoint", "http://minio:9000", "flink.metrics.reporter.prom.port", "9250")).flinkOptions)
                .hasSize(2);
    }

    @Test
    void optionsThatContradictTheJobAreRefused() {
        assertThatThrownBy(() -> settings(Map.of("flink.execution.runtime-mode", "BATCH")))
                .hasMessageContaining("'BATCH' contradicts mode=streaming");
        assertThat(settings(Map.of("flink.execution.runtime-mode", "streaming")).flinkOptions).hasSize(1);
        assertThatThrownBy(() -> settings(Map.of("flink.execution.checkpointing.interval", "0")))
                .hasMessageContaining("use checkpoint.interval");
        assertThatThrownBy(() -> settings(Map.of("flink.execution.checkpointing.mode", "AT_LEAST_ONCE")))
                .hasMessageContaining("count records twice");
        assertThatThrownBy(() -> settings(Map.of("flink.execution.checkpointing.storage", "jobmanager")))
                .hasMessageContaining("jobmanager storage");
        assertThatThrownBy(() -> settings(Map.of("flink.pipeline.generic-types", "true"))).hasMessageContaining("Kryo");
        assertThatThrownBy(() -> settings(Map.of("flink.state.backend.type", "rocks"))).hasMessageContaining("not a state backend");
    }

    @Test
    void productionDefaultsFillOnlyWhatTheClusterLeftOpen() {
        assertThat(FlinkOptions.rocksDbAvailable()).as("flink-statebackend-rocksdb is on the job's (provided) classpath").isTrue();
        Configuration none = FlinkOptions.productionDefaults(Mode.STREAMING, Map.of(), new Configuration());
        assertThat(none.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(none.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(none.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION)).isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(none.contains(CheckpointingOptions.CHECKPOINT_STORAGE)).as("no directory known: no filesystem storage").isFalse();

        Configuration cluster = new Configuration();
        cluster.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://b/ck");
        Configuration withCluster = FlinkOptions.productionDefaults(Mode.STREAMING, Map.of(), cluster);
        assertThat(withCluster.contains(StateBackendOptions.STATE_BACKEND)).as("the cluster's choice stands").isFalse();
        assertThat(withCluster.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");

        assertThat(FlinkOptions.productionDefaults(Mode.BATCH, Map.of(), new Configuration()).toMap()).isEmpty();
    }

    @Test
    void streamingOnAClusterNeedsADurableCheckpointDirectory() {
        assertThatThrownBy(() -> FlinkOptions.requireCheckpointDirectory(Mode.STREAMING, Map.of(), new Configuration()))
                .hasMessageContaining("flink.execution.checkpointing.dir").hasMessageContaining("no durable checkpoint directory");
        FlinkOptions.requireCheckpointDirectory(Mode.STREAMING, Map.of("execution.checkpointing.dir", "s3://b/ck"), new Configuration());
        FlinkOptions.requireCheckpointDirectory(Mode.BATCH, Map.of(), new Configuration());
    }

    @Test
    void theStateBackendTravelsInTheJobGraph() {
        JobSettings s = settings(Map.of("flink.execution.checkpointing.dir", "file:///tmp/recolens-ck"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RecolensJob.flinkConfiguration(s));
        env.configure(FlinkOptions.productionDefaults(s.mode, s.flinkOptions, env.getConfiguration()));
        env.fromData(1, 2, 3).keyBy(i -> i).sum(0).sinkTo(new org.apache.flink.api.connector.sink2.Sink<Integer>() {
            @Override
            public org.apache.flink.api.connector.sink2.SinkWriter<Integer> createWriter(org.apache.flink.api.connector.sink2.WriterInitContext c) {
                throw new UnsupportedOperationException();
            }
        });
        Configuration job = env.getStreamGraph().getJobConfiguration();
        assertThat(job.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(job.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(job.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/recolens-ck");
    }
}
