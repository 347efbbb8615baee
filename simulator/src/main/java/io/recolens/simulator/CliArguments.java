package io.recolens.simulator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The simulator's command line, parsed and checked; only {@link SimulatorMain} uses it. */
public record CliArguments(
    SimulatorConfig config,
    String kafkaBootstrap,
    Path outDir,
    Path truthFile,
    boolean realtime,
    double speed,
    KafkaTrafficSink.Topics topics) {

  public static final String USAGE = String.join("\n",
      "usage: SimulatorMain (--kafka host:port | --out dir) [options]",
      "  --requests N          requests to simulate (default 10000)",
      "  --seed S              random seed (default 42)",
      "  --users N             distinct users (default 5000)",
      "  --rate R              requests per simulated second (default 200)",
      "  --start T             first event time, ISO-8601 instant or epoch millis",
      "                        (default: now minus the simulated duration; with --realtime: now)",
      "  --span-encoding E     otlp_proto (default) or otlp_json",
      "  --truth FILE          write the ground truth JSON here",
      "  --realtime            pace emission to the wall clock (default: as fast as possible)",
      "  --speed X             with --realtime, simulated seconds per wall second (default 1)",
      "  --topic-impressions T, --topic-clicks T, --topic-spans T   Kafka topic names",
      "  --late-lineage-share X       requests under a lineage whose pipeline runs after traffic started (default 0)",
      "  --untraced-lineage-share X   requests under a lineage no pipeline trace describes (default 0)",
      "  --model-mismatch-share X     impressions stating another model version than their ranker span (default 0)",
      "  --corrupt-hash-share X       impressions with a corrupted user_embedding hash (default 0)",
      "  --feature-drift-cohort C     inject drift: users of cohort C (new, returning, power) switch a feature version (default off)",
      "  --feature-drift-after-ms N   the switch happens N ms of event time after --start (default 0)",
      "  --feature-drift-to F@V       the switched feature and its new version (default user_embedding@v16)",
      "  --feature-drift-variant E=V  only users of that experiment variant switch (default: every variant)");

  /** Parses {@code args}; {@code nowMs} is injected so the default start is testable. */
  public static CliArguments parse(String[] args, long nowMs) {
    SimulatorConfig.Builder b = SimulatorConfig.builder();
    String kafka = null;
    Path out = null;
    Path truth = null;
    boolean realtime = false;
    double speed = 1.0;
    Long start = null;
    KafkaTrafficSink.Topics defaults = KafkaTrafficSink.Topics.defaults();
    String ti = defaults.impressions();
    String tc = defaults.clicks();
    String ts = defaults.spans();
    String driftCohort = null;
    long driftAfterMs = 0;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      switch (flag) {
        case "--realtime" -> realtime = true;
        case "--requests" -> b.requests(Integer.parseInt(value(flag, rest)));
        case "--seed" -> b.seed(Long.parseLong(value(flag, rest)));
        case "--users" -> b.users(Integer.parseInt(value(flag, rest)));
        case "--rate" -> b.requestsPerSecond(Double.parseDouble(value(flag, rest)));
        case "--start" -> start = parseInstant(value(flag, rest));
        case "--span-encoding" -> b.spanEncoding(SpanEncoding.fromCollectorName(value(flag, rest)));
        case "--kafka" -> kafka = value(flag, rest);
        case "--out" -> out = Path.of(value(flag, rest));
        case "--truth" -> truth = Path.of(value(flag, rest));
        case "--speed" -> speed = Double.parseDouble(value(flag, rest));
        case "--topic-impressions" -> ti = value(flag, rest);
        case "--topic-clicks" -> tc = value(flag, rest);
        case "--topic-spans" -> ts = value(flag, rest);
        case "--late-lineage-share" -> b.lateLineageShare(Double.parseDouble(value(flag, rest)));
        case "--untraced-lineage-share" -> b.untracedLineageShare(Double.parseDouble(value(flag, rest)));
        case "--model-mismatch-share" -> b.modelMismatchShare(Double.parseDouble(value(flag, rest)));
        case "--corrupt-hash-share" -> b.corruptHashShare(Double.parseDouble(value(flag, rest)));
        case "--feature-drift-cohort" -> driftCohort = value(flag, rest);
        case "--feature-drift-after-ms" -> driftAfterMs = Long.parseLong(value(flag, rest));
        case "--feature-drift-to" -> {
          String[] fv = value(flag, rest).split("@", 2);
          if (fv.length != 2) {
            throw new IllegalArgumentException("--feature-drift-to wants FEATURE@VERSION\n" + USAGE);
          }
          b.featureDriftTo(fv[0], fv[1]);
        }
        case "--feature-drift-variant" -> b.featureDriftVariant(value(flag, rest));
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    if ((kafka == null) == (out == null)) {
      throw new IllegalArgumentException("give exactly one of --kafka or --out\n" + USAGE);
    }
    if (!(speed > 0)) {
      throw new IllegalArgumentException("--speed must be > 0");
    }
    b.featureDrift(driftCohort, driftAfterMs);
    SimulatorConfig draft = b.build();
    long defaultStart = realtime ? nowMs : nowMs - draft.simulatedDurationMs();
    SimulatorConfig config = draft.toBuilder().startEpochMs(start != null ? start : defaultStart).build();
    return new CliArguments(config, kafka, out, truth, realtime, speed, new KafkaTrafficSink.Topics(ti, tc, ts));
  }

  private static String value(String flag, List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return rest.remove(0);
  }

  private static long parseInstant(String text) {
    return text.chars().allMatch(Character::isDigit) ? Long.parseLong(text) : Instant.parse(text).toEpochMilli();
  }
}
