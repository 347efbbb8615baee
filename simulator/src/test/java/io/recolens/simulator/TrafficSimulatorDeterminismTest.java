package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed reproduces the same records, order and ground truth; another seed does not. */
class TrafficSimulatorDeterminismTest {

  private static RecordingTrafficSink run(SimulatorConfig config) {
    RecordingTrafficSink sink = new RecordingTrafficSink();
    new TrafficSimulator().run(config, sink);
    return sink;
  }

  @Test
  void sameSeedGivesByteIdenticalOutputAndTruth() {
    SimulatorConfig config = SimulatorConfig.builder().requests(2_000).seed(7).build();
    RecordingTrafficSink a = new RecordingTrafficSink();
    RecordingTrafficSink b = new RecordingTrafficSink();
    GroundTruth ta = new TrafficSimulator().run(config, a);
    GroundTruth tb = new TrafficSimulator().run(config, b);

    assertThat(a.all()).hasSameSizeAs(b.all()).isNotEmpty();
    for (int i = 0; i < a.all().size(); i++) {
      RecordingTrafficSink.Recorded x = a.all().get(i);
      RecordingTrafficSink.Recorded y = b.all().get(i);
      assertThat(y.topic()).isEqualTo(x.topic());
      assertThat(y.key()).isEqualTo(x.key());
      assertThat(y.value()).as("record %d", i).isEqualTo(x.value());
      assertThat(y.timestampMs()).isEqualTo(x.timestampMs());
    }
    assertThat(tb.toJson()).isEqualTo(ta.toJson());
  }

  @Test
  void differentSeedGivesDifferentTraffic() {
    List<RecordingTrafficSink.Recorded> a = run(SimulatorConfig.builder().requests(200).seed(1).build())
        .records(Topic.IMPRESSIONS);
    List<RecordingTrafficSink.Recorded> b = run(SimulatorConfig.builder().requests(200).seed(2).build())
        .records(Topic.IMPRESSIONS);
    assertThat(Arrays.equals(a.get(0).value(), b.get(0).value())).isFalse();
  }
}
