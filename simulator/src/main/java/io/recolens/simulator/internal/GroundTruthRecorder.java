package io.recolens.simulator.internal;

import io.recolens.simulator.Experiment;
import io.recolens.simulator.GroundTruth;
import io.recolens.simulator.MalformedKind;
import io.recolens.simulator.SimulatorConfig;
import io.recolens.simulator.Topic;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Accumulates the ground truth while the simulator runs; {@link #build()} freezes it. */
public final class GroundTruthRecorder {

  /** Mutable counters of one experiment variant. */
  private static final class VariantCounters {
    final String experiment;
    final String variant;
    final BitSet units = new BitSet();
    int requests;
    int impressions;
    int itemImpressions;
    int clicks;
    int spans;
    int errorSpans;
    long featureStoreNanos;
    int cacheHits;
    int cacheMisses;
    int dbSpans;
    int droppedBaggage;

    VariantCounters(String experiment, String variant) {
      this.experiment = experiment;
      this.variant = variant;
    }
  }

  private final SimulatorConfig config;
  private final List<List<VariantCounters>> counters = new ArrayList<>();
  private final Map<Topic, Integer> emitted = new EnumMap<>(Topic.class);
  private final Map<Topic, Integer> duplicates = new EnumMap<>(Topic.class);
  private final Map<Topic, Integer> late = new EnumMap<>(Topic.class);
  private final Map<Topic, Map<MalformedKind, Integer>> malformedCounts = new EnumMap<>(Topic.class);
  private final List<GroundTruth.MalformedRecord> malformed = new ArrayList<>();
  private final List<String> lostImpressions = new ArrayList<>();
  private final List<String> orphanClicks = new ArrayList<>();
  private final List<String> beyondWindowClicks = new ArrayList<>();
  private final Map<String, Integer> droppedByService = new TreeMap<>();
  private final Map<String, String> droppedTraces = new LinkedHashMap<>();
  private final Map<String, Integer> impressionsByLineage = new TreeMap<>();
  private final List<GroundTruth.ProvenanceRun> provenanceRuns = new ArrayList<>();
  private final List<String> modelMismatches = new ArrayList<>();
  private final List<String> corruptHashes = new ArrayList<>();
  private final Map<String, Integer> driftedByVariant = new TreeMap<>();
  private int impressions;
  private int itemImpressions;
  private int clicks;
  private int requestTraces;
  private int lineageTraces;
  private int spans;
  private int spanMessages;
  private int multiTraceMessages;
  private int splitTraces;
  private long lastEventMs;

  public GroundTruthRecorder(SimulatorConfig config) {
    this.config = config;
    for (Experiment e : Experiment.ALL) {
      List<VariantCounters> list = new ArrayList<>();
      for (String v : e.variants()) {
        list.add(new VariantCounters(e.name(), v));
      }
      counters.add(list);
    }
    for (Topic t : Topic.values()) {
      emitted.put(t, 0);
      duplicates.put(t, 0);
      late.put(t, 0);
      Map<MalformedKind, Integer> kinds = new EnumMap<>(MalformedKind.class);
      malformedCounts.put(t, kinds);
    }
    lastEventMs = config.startEpochMs();
  }

  private VariantCounters counters(int experimentIndex, String variant) {
    for (VariantCounters c : counters.get(experimentIndex)) {
      if (c.variant.equals(variant)) {
        return c;
      }
    }
    throw new IllegalStateException("unknown variant " + variant);
  }

  /** A traced request, whether or not its impression is delivered. */
  public void request(RequestPlan plan, TraceOutcome outcome) {
    requestTraces++;
    spans += outcome.spans().size();
    for (int i = 0; i < Experiment.ALL.size(); i++) {
      VariantCounters c = counters(i, plan.variant(i));
      c.requests++;
      c.spans += outcome.spans().size();
      c.errorSpans += outcome.errorSpans();
      c.featureStoreNanos += outcome.featureStoreNanos();
      c.cacheHits += outcome.cacheHits();
      c.cacheMisses += outcome.cacheMisses();
      c.dbSpans += outcome.dbSpans();
      if (plan.baggageDroppedAt() != null) {
        c.droppedBaggage++;
      }
    }
    if (plan.baggageDroppedAt() != null) {
      droppedByService.merge(plan.baggageDroppedAt().serviceName(), 1, Integer::sum);
      droppedTraces.put(outcome.traceId(), plan.baggageDroppedAt().serviceName());
    }
    event(outcome.rootEndNanos() / 1_000_000L);
  }

  public void lineageTrace(int spanCount) {
    lineageTraces++;
    spans += spanCount;
  }

  /** A feature-pipeline run's provenance as emitted. */
  public void provenanceRun(GroundTruth.ProvenanceRun run) {
    provenanceRuns.add(run);
  }

  public void impression(RequestPlan plan, ImpressionRecord r) {
    impressions++;
    itemImpressions += r.items().size();
    impressionsByLineage.merge(r.lineage().id(), 1, Integer::sum);
    if (!r.modelVersion().equals(r.lineage().modelVersion())) {
      modelMismatches.add(r.impressionId());
    }
    if (r.featureHashes().get(0).startsWith("sha256:corrupt-")) {
      corruptHashes.add(r.impressionId());
    }
    for (int i = 0; i < Experiment.ALL.size(); i++) {
      VariantCounters c = counters(i, plan.variant(i));
      c.impressions++;
      c.itemImpressions += r.items().size();
      c.units.set(plan.user().index());
    }
  }

  public void lostImpression(String impressionId) {
    lostImpressions.add(impressionId);
  }

  public void validClick(RequestPlan plan, ClickRecord click) {
    clicks++;
    for (int i = 0; i < Experiment.ALL.size(); i++) {
      counters(i, plan.variant(i)).clicks++;
    }
    event(click.timestampMs());
  }

  public void orphanClick(ClickRecord click) {
    orphanClicks.add(click.clickId());
    event(click.timestampMs());
  }

  public void beyondWindowClick(ClickRecord click) {
    beyondWindowClicks.add(click.clickId());
    event(click.timestampMs());
  }

  public void spanMessage(int traceCount) {
    spanMessages++;
    if (traceCount > 1) {
      multiTraceMessages++;
    }
  }

  public void splitTrace() {
    splitTraces++;
  }

  public void duplicate(Topic topic) {
    duplicates.merge(topic, 1, Integer::sum);
  }

  public void late(Topic topic) {
    late.merge(topic, 1, Integer::sum);
  }

  /** A record left the simulator; malformed ones are listed with their position on the topic. */
  public void emitted(Topic topic, MalformedKind kind, long emitAtMs) {
    int index = emitted.merge(topic, 1, Integer::sum) - 1;
    if (kind != null) {
      malformed.add(new GroundTruth.MalformedRecord(topic, index, kind));
      malformedCounts.get(topic).merge(kind, 1, Integer::sum);
    }
    event(emitAtMs);
  }

  private void event(long epochMs) {
    lastEventMs = Math.max(lastEventMs, epochMs);
  }

  public GroundTruth build() {
    List<GroundTruth.VariantTruth> variants = new ArrayList<>();
    for (List<VariantCounters> list : counters) {
      for (VariantCounters c : list) {
        double fsMean = c.requests == 0 ? 0.0 : c.featureStoreNanos / 1e6 / c.requests;
        variants.add(new GroundTruth.VariantTruth(c.experiment, c.variant, c.requests, c.units.cardinality(),
            c.impressions, c.itemImpressions, c.clicks, c.spans, c.errorSpans, fsMean, c.cacheHits,
            c.cacheMisses, c.dbSpans, c.droppedBaggage));
      }
    }
    Map<Topic, Map<MalformedKind, Integer>> malformedCopy = new EnumMap<>(Topic.class);
    malformedCounts.forEach((t, m) -> malformedCopy.put(t, Collections.unmodifiableMap(new EnumMap<>(m))));
    return new GroundTruth(config.seed(), config.requests(), config.startEpochMs(), lastEventMs,
        config.attributionWindowMs(), config.spanEncoding(), effects(), List.copyOf(variants),
        new GroundTruth.Totals(impressions, itemImpressions, clicks, requestTraces, lineageTraces, spans,
            spanMessages, multiTraceMessages, splitTraces),
        Collections.unmodifiableMap(new EnumMap<>(emitted)), Collections.unmodifiableMap(new EnumMap<>(duplicates)),
        Collections.unmodifiableMap(new EnumMap<>(late)), Collections.unmodifiableMap(malformedCopy),
        List.copyOf(malformed), List.copyOf(lostImpressions), List.copyOf(orphanClicks),
        List.copyOf(beyondWindowClicks), Collections.unmodifiableMap(new TreeMap<>(droppedByService)),
        Collections.unmodifiableMap(new LinkedHashMap<>(droppedTraces)),
        Collections.unmodifiableMap(new TreeMap<>(impressionsByLineage)),
        new GroundTruth.LineageTruth(List.copyOf(provenanceRuns),
            config.untracedLineageShare() > 0 ? List.of(Lineage.UNTRACED.id()) : List.of(),
            List.copyOf(modelMismatches), List.copyOf(corruptHashes)),
        config.featureDriftEnabled() ? new GroundTruth.FeatureDriftTruth(config.featureDriftCohort(), config.featureDriftFeature(),
            config.featureDriftVersion(), FeatureDrift.switchAtMs(config), config.featureDriftVariant(),
            Collections.unmodifiableMap(new TreeMap<>(driftedByVariant))) : null);
  }

  /** A delivered impression that was served the injected feature version switch. */
  public void driftedImpression(RequestPlan plan) {
    for (int i = 0; i < Experiment.ALL.size(); i++) {
      driftedByVariant.merge(Experiment.ALL.get(i).name() + "/" + plan.variant(i), 1, Integer::sum);
    }
  }

  private List<GroundTruth.InjectedEffect> effects() {
    return List.of(
        new GroundTruth.InjectedEffect(Experiment.REC_ALGORITHM_V3.name(), "hybrid", "ctr", "",
            "absolute_lift", config.hybridCtrLift(), config.baseCtr()),
        new GroundTruth.InjectedEffect(Experiment.REC_ALGORITHM_V3.name(), "hybrid", "latency_ms",
            SimService.FEATURE_STORE.serviceName(), "added_ms", config.hybridFeatureStoreDelayMs(), 0.0),
        new GroundTruth.InjectedEffect(Experiment.RANKING_BOOST_V2.name(), "recency_boost", "cache_hit_rate",
            SimService.CACHE.serviceName() + " (ranker item_stats)", "absolute_delta",
            config.recencyBoostCacheHitDelta(), config.cacheHitRate()));
  }
}
