package io.recolens.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.recolens.simulator.RecordingTrafficSink;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import io.recolens.simulator.TrafficSimulator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Deliberately broken records can never parse and never break a JSON-lines file. */
class MalformedRecordsTest {

  @Test
  void truncatedProtobufAndRandomBytesNeverParse() {
    RecordingTrafficSink sink = new RecordingTrafficSink();
    new TrafficSimulator().run(SimulatorConfig.builder().requests(200).clean().build(), sink);
    List<RecordingTrafficSink.Recorded> messages = sink.records(Topic.SPANS);
    SplittableRandom random = new SplittableRandom(3);
    for (RecordingTrafficSink.Recorded m : messages) {
      for (int i = 0; i < 20; i++) {
        byte[] cut = MalformedRecords.truncateProtobuf(m.value(), random);
        assertThat(cut.length).isLessThan(m.value().length);
        assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(cut))
            .isInstanceOf(InvalidProtocolBufferException.class);
      }
    }
    for (int i = 0; i < 2_000; i++) {
      byte[] junk = MalformedRecords.randomBytes(random, true);
      assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(junk))
          .isInstanceOf(InvalidProtocolBufferException.class);
    }
  }

  @Test
  void jsonMalformationsHaveNoLineBreaks() {
    SplittableRandom random = new SplittableRandom(4);
    byte[] json = "{\"impression_id\":\"imp-1\",\"items\":[]}".getBytes();
    for (int i = 0; i < 2_000; i++) {
      assertThat(MalformedRecords.randomBytes(random, false)).doesNotContain((byte) '\n', (byte) '\r')
          .startsWith((byte) 0xFF);
      byte[] cut = MalformedRecords.truncateJson(json, random);
      assertThat(cut.length).isBetween(1, json.length - 1);
    }
  }
}
