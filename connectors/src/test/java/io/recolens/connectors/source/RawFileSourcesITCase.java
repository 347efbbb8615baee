package io.recolens.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.RawRecord;
import io.recolens.testkit.CollectingSink;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RawFileSourcesITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension();

    @TempDir
    Path dir;

    @Test
    void readsJsonLinesAndLengthPrefixedFilesInBatchMode() throws Exception {
        Files.writeString(dir.resolve("impressions.jsonl"), "{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}");
        Path nested = Files.createDirectories(dir.resolve("day1"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(nested.resolve("clicks.jsonl.gz")))) {
            out.write("{\"z\":9}\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] m0 = {1, 2, 3};
        byte[] m1 = new byte[70_000];
        m1[69_999] = 7;
        Files.write(dir.resolve("spans.otlp"), frames(m0, m1, new byte[0]));
        // Frame header announcing 100 bytes, only 2 present: emitted as-is, then the file is done.
        Files.write(dir.resolve("truncated.otlp"), concat(frames(m0), new byte[] {0, 0, 0, 100, 9, 9}));
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        Files.writeString(dir.resolve(".hidden.jsonl"), "{\"hidden\":true}\n");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        try (CollectingSink<RawRecord> sink = new CollectingSink<>()) {
            env.fromSource(RawFileSources.forDirectory(new org.apache.flink.core.fs.Path(dir.toUri())),
                            WatermarkStrategy.noWatermarks(), "raw-files")
                    .sinkTo(sink);
            env.execute("raw file source test");

            List<RawRecord> got = sink.get();
            got.sort(Comparator.comparing((RawRecord r) -> r.source).thenComparingLong(r -> r.offset));
            assertThat(got).extracting(r -> fileName(r) + "@" + r.offset).containsExactly(
                    "clicks.jsonl.gz@1",
                    "impressions.jsonl@1", "impressions.jsonl@3", "impressions.jsonl@4",
                    "spans.otlp@0", "spans.otlp@1", "spans.otlp@2",
                    "truncated.otlp@0", "truncated.otlp@1");
            assertThat(text(got.get(0))).isEqualTo("{\"z\":9}");
            assertThat(text(got.get(1))).isEqualTo("{\"a\":1}");
            assertThat(text(got.get(2))).isEqualTo("{\"b\":2}");
            assertThat(text(got.get(3))).isEqualTo("{\"c\":3}");
            assertThat(got.get(4).value).isEqualTo(m0);
            assertThat(got.get(5).value).isEqualTo(m1);
            assertThat(got.get(6).value).isEmpty();
            assertThat(got.get(8).value).containsExactly(0, 0, 0, 100, 9, 9);
            assertThat(got).allSatisfy(r -> {
                assertThat(r.partition).isZero();
                assertThat(r.timestamp).isPositive();
                assertThat(r.source).startsWith("file:");
            });
        }
    }

    private static String fileName(RawRecord r) {
        return r.source.substring(r.source.lastIndexOf('/') + 1);
    }

    private static String text(RawRecord r) {
        return new String(r.value, StandardCharsets.UTF_8);
    }

    static byte[] frames(byte[]... messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] m : messages) {
            out.writeInt(m.length);
            out.write(m);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
