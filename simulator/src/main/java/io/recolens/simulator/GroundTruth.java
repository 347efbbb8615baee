package io.recolens.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a simulation run really produced and injected, for tests and the demo to compare recolens' output
 * against. Counts of valid data exclude duplicates, malformed records, lost impressions and their orphan
 * clicks, and clicks beyond the attribution window.
 */
public record GroundTruth(
    long seed,
    int requests,
    long startEpochMs,
    long lastEventEpochMs,
    long attributionWindowMs,
    SpanEncoding spanEncoding,
    List<InjectedEffect> effects,
    List<VariantTruth> variants,
    Totals totals,
    Map<Topic, Integer> recordsEmitted,
    Map<Topic, Integer> duplicates,
    Map<Topic, Integer> late,
    Map<Topic, Map<MalformedKind, Integer>> malformedCounts,
    List<MalformedRecord> malformed,
    List<String> lostImpressionIds,
    List<String> orphanClickIds,
    List<String> beyondWindowClickIds,
    Map<String, Integer> droppedBaggageByService,
    Map<String, String> droppedBaggageTraces,
    Map<String, Integer> impressionsByLineage,
    LineageTruth lineage,
    FeatureDriftTruth featureDrift) {

  /** One deliberate difference between variants, with its size. */
  public record InjectedEffect(String experiment, String variant, String metric, String service, String kind,
      double value, double baseline) {}

  /**
   * The truth for one experiment variant. {@code clicks} are distinct valid clicks (impression delivered,
   * click within the attribution window); span figures cover every request of the variant, delivered or not.
   */
  public record VariantTruth(String experiment, String variant, int requests, int units, int impressions,
      int itemImpressions, int clicks, int spans, int errorSpans, double featureStoreLatencyMsMean,
      int cacheHits, int cacheMisses, int dbSpans, int droppedBaggageRequests) {

    /** Clicks per delivered impression. */
    public double ctr() {
      return impressions == 0 ? 0.0 : (double) clicks / impressions;
    }
  }

  /** Run-wide counts of valid data and of the OTLP messages carrying it. */
  public record Totals(int impressions, int itemImpressions, int clicks, int requestTraces, int lineageTraces,
      int spans, int spanMessages, int multiTraceMessages, int splitTraces) {}

  /**
   * One feature-pipeline run, in its own trace: each step is one provenance span ({@code lineage.id} with
   * {@code feature.name}). {@code emittedAtMs} is when its spans were sent: before traffic, or after impressions that
   * reference the lineage.
   */
  public record ProvenanceRun(String lineageId, String traceId, long emittedAtMs, List<ProvenanceStep> steps) {}

  /** One step of a pipeline run: the feature version it produced, from where, and its span's start and end. */
  public record ProvenanceStep(String feature, String version, String source, long startMs, long endMs) {}

  /**
   * Lineage ground truth: the provenance runs emitted, the lineage no run describes, and the impressions with an
   * injected model-version mismatch or corrupted feature hash (delivered or not; intersect with what was delivered).
   */
  public record LineageTruth(List<ProvenanceRun> runs, List<String> untracedLineageIds,
      List<String> modelMismatchImpressionIds, List<String> corruptHashImpressionIds) {}

  /**
   * The injected feature version switch, or null when none was injected: from {@code atMs} on, impressions of users in
   * {@code cohort} (of {@code variant}, {@code experiment=variant}, when set) served {@code feature} at {@code version}.
   * {@code impressionsByVariant} counts the delivered switched impressions per {@code experiment/variant}.
   */
  public record FeatureDriftTruth(String cohort, String feature, String version, long atMs, String variant,
      Map<String, Integer> impressionsByVariant) {}

  /** A deliberately broken record: its topic, its position among that topic's emitted records, and how. */
  public record MalformedRecord(Topic topic, int index, MalformedKind kind) {}

  /** The variant truth of one experiment variant, or an exception naming what exists. */
  public VariantTruth variant(String experiment, String variant) {
    return variants.stream()
        .filter(v -> v.experiment().equals(experiment) && v.variant().equals(variant))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant " + experiment + "/" + variant));
  }

  /** Whether the record at {@code index} of {@code topic} was deliberately malformed. */
  public boolean isMalformed(Topic topic, int index) {
    return malformed.stream().anyMatch(m -> m.topic() == topic && m.index() == index);
  }

  /** The JSON document the CLI writes; snake_case keys, pretty-printed. */
  public String toJson() {
    StringWriter out = new StringWriter();
    writeJson(out);
    return out.toString();
  }

  public void writeJson(Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
        write(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ground truth to " + file, e);
    }
  }

  private void writeJson(Writer writer) {
    try (JsonGenerator g = new JsonFactory().createGenerator(writer)) {
      write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(JsonGenerator g) throws IOException {
    g.useDefaultPrettyPrinter();
    g.writeStartObject();
    g.writeNumberField("seed", seed);
    g.writeNumberField("requests", requests);
    g.writeNumberField("start_epoch_ms", startEpochMs);
    g.writeNumberField("last_event_epoch_ms", lastEventEpochMs);
    g.writeNumberField("attribution_window_ms", attributionWindowMs);
    g.writeStringField("span_encoding", spanEncoding.collectorName());

    g.writeArrayFieldStart("effects");
    for (InjectedEffect e : effects) {
      g.writeStartObject();
      g.writeStringField("experiment", e.experiment());
      g.writeStringField("variant", e.variant());
      g.writeStringField("metric", e.metric());
      g.writeStringField("service", e.service());
      g.writeStringField("kind", e.kind());
      g.writeNumberField("value", e.value());
      g.writeNumberField("baseline", e.baseline());
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeObjectFieldStart("experiments");
    for (Experiment experiment : Experiment.ALL) {
      g.writeObjectFieldStart(experiment.name());
      for (VariantTruth v : variants) {
        if (!v.experiment().equals(experiment.name())) {
          continue;
        }
        g.writeObjectFieldStart(v.variant());
        g.writeNumberField("requests", v.requests());
        g.writeNumberField("units", v.units());
        g.writeNumberField("impressions", v.impressions());
        g.writeNumberField("item_impressions", v.itemImpressions());
        g.writeNumberField("clicks", v.clicks());
        g.writeNumberField("ctr", v.ctr());
        g.writeNumberField("spans", v.spans());
        g.writeNumberField("error_spans", v.errorSpans());
        g.writeNumberField("feature_store_latency_ms_mean", v.featureStoreLatencyMsMean());
        g.writeNumberField("cache_hits", v.cacheHits());
        g.writeNumberField("cache_misses", v.cacheMisses());
        g.writeNumberField("db_spans", v.dbSpans());
        g.writeNumberField("dropped_baggage_requests", v.droppedBaggageRequests());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndObject();

    g.writeObjectFieldStart("totals");
    g.writeNumberField("impressions", totals.impressions());
    g.writeNumberField("item_impressions", totals.itemImpressions());
    g.writeNumberField("clicks", totals.clicks());
    g.writeNumberField("request_traces", totals.requestTraces());
    g.writeNumberField("lineage_traces", totals.lineageTraces());
    g.writeNumberField("spans", totals.spans());
    g.writeNumberField("span_messages", totals.spanMessages());
    g.writeNumberField("multi_trace_messages", totals.multiTraceMessages());
    g.writeNumberField("split_traces", totals.splitTraces());
    g.writeEndObject();

    writeTopicCounts(g, "records_emitted", recordsEmitted);
    writeTopicCounts(g, "duplicates", duplicates);
    writeTopicCounts(g, "late", late);

    g.writeObjectFieldStart("malformed");
    for (Topic t : Topic.values()) {
      g.writeObjectFieldStart(t.label());
      Map<MalformedKind, Integer> byKind = malformedCounts.get(t);
      g.writeNumberField("count", byKind.values().stream().mapToInt(Integer::intValue).sum());
      g.writeObjectFieldStart("by_kind");
      for (Map.Entry<MalformedKind, Integer> e : byKind.entrySet()) {
        g.writeNumberField(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeArrayFieldStart("records");
    for (MalformedRecord m : malformed) {
      g.writeStartObject();
      g.writeStringField("topic", m.topic().label());
      g.writeNumberField("index", m.index());
      g.writeStringField("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();

    writeIds(g, "lost_impressions", lostImpressionIds);
    writeIds(g, "orphan_clicks", orphanClickIds);
    writeIds(g, "beyond_window_clicks", beyondWindowClickIds);

    g.writeObjectFieldStart("dropped_baggage");
    g.writeNumberField("requests", droppedBaggageTraces.size());
    g.writeObjectFieldStart("by_service");
    for (Map.Entry<String, Integer> e : droppedBaggageByService.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("traces");
    for (Map.Entry<String, String> e : droppedBaggageTraces.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();

    g.writeObjectFieldStart("impressions_by_lineage");
    for (Map.Entry<String, Integer> e : impressionsByLineage.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();

    g.writeObjectFieldStart("lineage");
    g.writeArrayFieldStart("provenance_runs");
    for (ProvenanceRun run : lineage.runs()) {
      g.writeStartObject();
      g.writeStringField("lineage_id", run.lineageId());
      g.writeStringField("trace_id", run.traceId());
      g.writeNumberField("emitted_at_ms", run.emittedAtMs());
      g.writeArrayFieldStart("steps");
      for (ProvenanceStep step : run.steps()) {
        g.writeStartObject();
        g.writeStringField("feature", step.feature());
        g.writeStringField("version", step.version());
        g.writeStringField("source", step.source());
        g.writeNumberField("start_ms", step.startMs());
        g.writeNumberField("end_ms", step.endMs());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("untraced_lineage_ids");
    for (String id : lineage.untracedLineageIds()) {
      g.writeString(id);
    }
    g.writeEndArray();
    writeIds(g, "model_mismatch_impressions", lineage.modelMismatchImpressionIds());
    writeIds(g, "corrupt_hash_impressions", lineage.corruptHashImpressionIds());
    g.writeEndObject();
    if (featureDrift != null) {
      g.writeObjectFieldStart("feature_drift");
      g.writeStringField("cohort", featureDrift.cohort());
      g.writeStringField("feature", featureDrift.feature());
      g.writeStringField("version", featureDrift.version());
      g.writeNumberField("at_ms", featureDrift.atMs());
      g.writeStringField("variant", featureDrift.variant());
      g.writeObjectFieldStart("impressions_by_variant");
      for (Map.Entry<String, Integer> e : featureDrift.impressionsByVariant().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeTopicCounts(JsonGenerator g, String name, Map<Topic, Integer> counts)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Topic t : Topic.values()) {
      g.writeNumberField(t.label(), counts.getOrDefault(t, 0));
    }
    g.writeEndObject();
  }

  private static void writeIds(JsonGenerator g, String name, List<String> ids) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeNumberField("count", ids.size());
    g.writeArrayFieldStart("ids");
    for (String id : ids) {
      g.writeString(id);
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
