package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File layout round trip: every emitted record comes back byte for byte from the part files. */
class FileTrafficSinkTest {

  private static final SimulatorConfig CONFIG = SimulatorConfig.builder().requests(1_500).seed(5)
      .malformedShare(0.02).build();

  @Test
  void protobufLayoutRoundTripsEveryRecord(@TempDir Path dir) throws IOException {
    RecordingTrafficSink recorded = new RecordingTrafficSink();
    new TrafficSimulator().run(CONFIG, recorded);
    try (FileTrafficSink files = new FileTrafficSink(dir, SpanEncoding.OTLP_PROTO)) {
      new TrafficSimulator().run(CONFIG, files);
    }

    assertLinesEqual(dir.resolve("impressions/part-0.jsonl"), recorded.records(Topic.IMPRESSIONS));
    assertLinesEqual(dir.resolve("clicks/part-0.jsonl"), recorded.records(Topic.CLICKS));
    List<byte[]> frames = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("spans/part-0.otlp")))) {
      while (true) {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException end) {
          break;
        }
        frames.add(in.readNBytes(length));
      }
    }
    List<RecordingTrafficSink.Recorded> spans = recorded.records(Topic.SPANS);
    assertThat(frames).hasSize(spans.size());
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i)).isEqualTo(spans.get(i).value());
    }
  }

  @Test
  void otlpJsonLayoutHasOneMessagePerLineWithHexIds(@TempDir Path dir) throws IOException {
    SimulatorConfig config = CONFIG.toBuilder().spanEncoding(SpanEncoding.OTLP_JSON).build();
    RecordingTrafficSink recorded = new RecordingTrafficSink();
    GroundTruth truth = new TrafficSimulator().run(config, recorded);
    try (FileTrafficSink files = new FileTrafficSink(dir, SpanEncoding.OTLP_JSON)) {
      new TrafficSimulator().run(config, files);
    }
    Path spansFile = dir.resolve("spans/part-0.jsonl");
    assertThat(dir.resolve("spans/part-0.otlp")).doesNotExist();
    assertLinesEqual(spansFile, recorded.records(Topic.SPANS));

    int checked = 0;
    for (RecordingTrafficSink.Recorded r : recorded.records(Topic.SPANS)) {
      if (truth.isMalformed(Topic.SPANS, r.index())) {
        assertThat(TestJson.isObject(r.value())).isFalse();
        continue;
      }
      Map<String, Object> msg = TestJson.object(r.value());
      for (Object rs : (List<?>) msg.get("resourceSpans")) {
        for (Object ss : (List<?>) ((Map<?, ?>) rs).get("scopeSpans")) {
          for (Object s : (List<?>) ((Map<?, ?>) ss).get("spans")) {
            Map<?, ?> span = (Map<?, ?>) s;
            // OTLP/JSON requires lower-case hex IDs, not proto3 JSON's base64.
            assertThat((String) span.get("traceId")).matches("[0-9a-f]{32}");
            assertThat((String) span.get("spanId")).matches("[0-9a-f]{16}");
            if (r.key() != null) {
              assertThat(span.get("traceId")).isEqualTo(new String(r.key(), StandardCharsets.US_ASCII));
            }
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(truth.totals().spans() + duplicateSpanCount(recorded, truth));
  }

  /** Spans inside re-sent (duplicate) messages, which the line check above also visits. */
  private static int duplicateSpanCount(RecordingTrafficSink recorded, GroundTruth truth) {
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    int extra = 0;
    for (RecordingTrafficSink.Recorded r : recorded.records(Topic.SPANS)) {
      if (truth.isMalformed(Topic.SPANS, r.index())) {
        continue;
      }
      String body = new String(r.value(), StandardCharsets.UTF_8);
      int spans = body.split("\"spanId\"", -1).length - 1;
      if (seen.merge(body, 1, Integer::sum) > 1) {
        extra += spans;
      }
    }
    return extra;
  }

  @Test
  void refusesARecordWithALineBreak(@TempDir Path dir) {
    try (FileTrafficSink files = new FileTrafficSink(dir, SpanEncoding.OTLP_PROTO)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.click(null, "{\n}".getBytes(), 0L))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static void assertLinesEqual(Path file, List<RecordingTrafficSink.Recorded> records) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<byte[]> lines = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(all, from, i));
        from = i + 1;
      }
    }
    assertThat(from).as("file ends with a newline").isEqualTo(all.length);
    assertThat(lines).hasSize(records.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i)).as("line %d of %s", i, file.getFileName()).isEqualTo(records.get(i).value());
    }
  }
}
