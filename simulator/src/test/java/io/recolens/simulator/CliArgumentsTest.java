package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Command-line parsing: defaults that keep events in the past, overrides, and refusals. */
class CliArgumentsTest {

  private static final long NOW = 1_790_000_000_000L;

  @Test
  void defaultStartKeepsEveryEventInThePast() {
    CliArguments cli = CliArguments.parse(new String[] {"--out", "o", "--requests", "1000", "--rate", "50"}, NOW);
    SimulatorConfig c = cli.config();
    assertThat(c.requests()).isEqualTo(1000);
    assertThat(c.requestsPerSecond()).isEqualTo(50.0);
    assertThat(c.startEpochMs() + c.simulatedDurationMs()).isEqualTo(NOW);
    assertThat(cli.outDir()).isEqualTo(Path.of("o"));
    assertThat(cli.realtime()).isFalse();
  }

  @Test
  void realtimeStartsNowAndExplicitStartWins() {
    assertThat(CliArguments.parse(new String[] {"--kafka", "127.0.0.1:9092", "--realtime"}, NOW).config()
        .startEpochMs()).isEqualTo(NOW);
    assertThat(CliArguments.parse(new String[] {"--out", "o", "--start", "2026-01-02T00:00:00Z"}, NOW).config()
        .startEpochMs()).isEqualTo(1_767_312_000_000L);
    assertThat(CliArguments.parse(new String[] {"--out", "o", "--start", "1234"}, NOW).config().startEpochMs())
        .isEqualTo(1234L);
  }

  @Test
  void optionsMapOntoTheConfig() {
    CliArguments cli = CliArguments.parse(new String[] {"--kafka", "127.0.0.1:9092", "--seed", "9",
        "--span-encoding", "otlp_json", "--topic-spans", "spans2", "--truth", "t.json"}, NOW);
    assertThat(cli.config().seed()).isEqualTo(9L);
    assertThat(cli.config().spanEncoding()).isEqualTo(SpanEncoding.OTLP_JSON);
    assertThat(cli.topics()).isEqualTo(new KafkaTrafficSink.Topics("reco.impressions", "reco.clicks", "spans2"));
    assertThat(cli.truthFile()).isEqualTo(Path.of("t.json"));
  }

  @Test
  void lineageFaultFlagsMapOntoTheConfig() {
    SimulatorConfig c = CliArguments.parse(new String[] {"--out", "o", "--late-lineage-share", "0.2",
        "--untraced-lineage-share", "0.1", "--model-mismatch-share", "0.03", "--corrupt-hash-share", "0.04"}, NOW).config();
    assertThat(c.lateLineageShare()).isEqualTo(0.2);
    assertThat(c.untracedLineageShare()).isEqualTo(0.1);
    assertThat(c.modelMismatchShare()).isEqualTo(0.03);
    assertThat(c.corruptHashShare()).isEqualTo(0.04);
    assertThat(CliArguments.parse(new String[] {"--out", "o"}, NOW).config().lateLineageShare()).isZero();
  }

  @Test
  void featureDriftFlagsMapOntoTheConfig() {
    SimulatorConfig c = CliArguments.parse(new String[] {"--out", "o", "--feature-drift-cohort", "power", "--feature-drift-after-ms",
        "60000", "--feature-drift-to", "item_popularity@v9", "--feature-drift-variant", "rec_algorithm_v3=hybrid"}, NOW).config();
    assertThat(c.featureDriftEnabled()).isTrue();
    assertThat(c.featureDriftCohort()).isEqualTo("power");
    assertThat(c.featureDriftOffsetMs()).isEqualTo(60_000);
    assertThat(c.featureDriftFeature()).isEqualTo("item_popularity");
    assertThat(c.featureDriftVersion()).isEqualTo("v9");
    assertThat(c.featureDriftVariant()).isEqualTo("rec_algorithm_v3=hybrid");
    SimulatorConfig off = CliArguments.parse(new String[] {"--out", "o"}, NOW).config();
    assertThat(off.featureDriftEnabled()).isFalse();
    assertThat(off.featureDriftFeature()).isEqualTo("user_embedding");
    assertThat(off.featureDriftVersion()).isEqualTo("v16");
  }

  @Test
  void rejectsMissingOrDoubleSinkAndUnknownFlags() {
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--requests", "5"}, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kafka or --out");
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--out", "o", "--kafka", "h:1"}, NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--out", "o", "--bogus"}, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
    assertThatThrownBy(() -> CliArguments.parse(new String[] {"--out"}, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
  }

  @Test
  void kafkaProducerIsIdempotentWithAcksAll() {
    var p = KafkaTrafficSink.producerProperties("127.0.0.1:9092", java.util.Map.of());
    assertThat(p.getProperty("acks")).isEqualTo("all");
    assertThat(p.getProperty("enable.idempotence")).isEqualTo("true");
  }
}
