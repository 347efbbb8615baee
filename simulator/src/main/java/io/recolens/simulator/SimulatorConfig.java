package io.recolens.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * Every knob of one simulation run; {@link #defaults()} gives a realistic, deterministic setup.
 *
 * <p>Shares are probabilities in [0, 1]. Effect sizes are what the ground truth reports as injected.
 */
public record SimulatorConfig(
    long seed,
    int requests,
    int users,
    long startEpochMs,
    double requestsPerSecond,
    double baseCtr,
    double hybridCtrLift,
    long hybridFeatureStoreDelayMs,
    double cacheHitRate,
    double recencyBoostCacheHitDelta,
    double spanErrorShare,
    double droppedBaggageShare,
    double legacyFlagEventShare,
    double multiTraceMessageShare,
    double splitTraceShare,
    double lateShare,
    long maxLatenessMs,
    double duplicateShare,
    double malformedShare,
    double lostImpressionShare,
    double beyondWindowClickShare,
    long attributionWindowMs,
    long meanClickDelayMs,
    double epochMillisTimestampShare,
    double clickEchoesExperimentsShare,
    double canaryLineageShare,
    SpanEncoding spanEncoding,
    double lateLineageShare,
    long lateLineageRunOffsetMs,
    double untracedLineageShare,
    double modelMismatchShare,
    double corruptHashShare,
    String featureDriftCohort,
    long featureDriftOffsetMs,
    String featureDriftFeature,
    String featureDriftVersion,
    String featureDriftVariant,
    int extraSpansPerRequest,
    int extraExperiments) {

  /** 2026-01-01T00:00:00Z: a fixed past instant so that default runs are reproducible byte for byte. */
  public static final long DEFAULT_START_EPOCH_MS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  public SimulatorConfig {
    if (requests < 0) {
      throw new IllegalArgumentException("requests must be >= 0");
    }
    if (users < 1) {
      throw new IllegalArgumentException("users must be >= 1");
    }
    if (!(requestsPerSecond > 0)) {
      throw new IllegalArgumentException("requestsPerSecond must be > 0");
    }
    if (attributionWindowMs < 2_000) {
      throw new IllegalArgumentException("attributionWindowMs must be >= 2000");
    }
    if (maxLatenessMs < 0 || hybridFeatureStoreDelayMs < 0 || meanClickDelayMs < 1) {
      throw new IllegalArgumentException("durations must be positive");
    }
    if (extraSpansPerRequest < 0 || extraExperiments < 0) {
      throw new IllegalArgumentException("extraSpansPerRequest and extraExperiments must be >= 0");
    }
    if (spanEncoding == null) {
      throw new IllegalArgumentException("spanEncoding is required");
    }
    requireShare("baseCtr", baseCtr);
    requireShare("baseCtr + hybridCtrLift", baseCtr + hybridCtrLift);
    requireShare("cacheHitRate", cacheHitRate);
    requireShare("cacheHitRate + recencyBoostCacheHitDelta", cacheHitRate + recencyBoostCacheHitDelta);
    requireShare("spanErrorShare", spanErrorShare);
    requireShare("droppedBaggageShare", droppedBaggageShare);
    requireShare("legacyFlagEventShare", legacyFlagEventShare);
    requireShare("multiTraceMessageShare", multiTraceMessageShare);
    requireShare("splitTraceShare", splitTraceShare);
    requireShare("lateShare", lateShare);
    requireShare("duplicateShare", duplicateShare);
    requireShare("malformedShare", malformedShare);
    requireShare("lostImpressionShare", lostImpressionShare);
    requireShare("beyondWindowClickShare", beyondWindowClickShare);
    requireShare("epochMillisTimestampShare", epochMillisTimestampShare);
    requireShare("clickEchoesExperimentsShare", clickEchoesExperimentsShare);
    requireShare("canaryLineageShare", canaryLineageShare);
    requireShare("lateLineageShare + untracedLineageShare", lateLineageShare + untracedLineageShare);
    requireShare("modelMismatchShare", modelMismatchShare);
    requireShare("corruptHashShare", corruptHashShare);
    if (featureDriftCohort != null) {
      if (featureDriftOffsetMs < 0 || featureDriftFeature == null || featureDriftVersion == null) {
        throw new IllegalArgumentException("a feature drift needs an offset >= 0, a feature and a version");
      }
      if (featureDriftVariant != null && !featureDriftVariant.matches("[^=]+=[^=]+")) {
        throw new IllegalArgumentException("featureDriftVariant must be experiment=variant, was " + featureDriftVariant);
      }
    }
  }

  /** Whether a feature version switch is injected ({@link Builder#featureDrift}). */
  public boolean featureDriftEnabled() {
    return featureDriftCohort != null;
  }

  private static void requireShare(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be within [0, 1], was " + value);
    }
  }

  /** The defaults: 10k requests at 200 requests per simulated second, base CTR 10 %, hybrid +3 points. */
  public static SimulatorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Simulated time the requests themselves take to arrive. */
  public long arrivalSpanMs() {
    return (long) Math.ceil(requests * 1000.0 / requestsPerSecond);
  }

  /**
   * Upper bound of the simulated time covered by all events, from the start to the last emission: arrivals,
   * then the attribution window for clicks, lateness and duplicate re-sends. Used to keep events in the past.
   */
  public long simulatedDurationMs() {
    return arrivalSpanMs() + attributionWindowMs * 2 + maxLatenessMs + Duration.ofMinutes(2).toMillis();
  }

  /** Fluent builder so callers name only the values they change. */
  public static final class Builder {
    private long seed = 42L;
    private int requests = 10_000;
    private int users = 5_000;
    private long startEpochMs = DEFAULT_START_EPOCH_MS;
    private double requestsPerSecond = 200.0;
    private double baseCtr = 0.10;
    private double hybridCtrLift = 0.03;
    private long hybridFeatureStoreDelayMs = 15;
    private double cacheHitRate = 0.85;
    private double recencyBoostCacheHitDelta = -0.10;
    private double spanErrorShare = 0.01;
    private double droppedBaggageShare = 0.05;
    private double legacyFlagEventShare = 0.10;
    private double multiTraceMessageShare = 0.10;
    private double splitTraceShare = 0.01;
    private double lateShare = 0.02;
    private long maxLatenessMs = 120_000;
    private double duplicateShare = 0.01;
    private double malformedShare = 0.005;
    private double lostImpressionShare = 0.005;
    private double beyondWindowClickShare = 0.002;
    private long attributionWindowMs = Duration.ofMinutes(30).toMillis();
    private long meanClickDelayMs = 20_000;
    private double epochMillisTimestampShare = 0.10;
    private double clickEchoesExperimentsShare = 0.70;
    private double canaryLineageShare = 0.20;
    private SpanEncoding spanEncoding = SpanEncoding.OTLP_PROTO;
    // Lineage faults are off by default: with all of them 0 a run draws exactly the random numbers it always did.
    private double lateLineageShare = 0.0;
    private long lateLineageRunOffsetMs = Duration.ofMinutes(1).toMillis();
    private double untracedLineageShare = 0.0;
    private double modelMismatchShare = 0.0;
    private double corruptHashShare = 0.0;
    // Drift is off by default; it draws no random numbers, so turning it on changes only the switched impressions.
    private String featureDriftCohort = null;
    private long featureDriftOffsetMs = 0;
    private String featureDriftFeature = "user_embedding";
    private String featureDriftVersion = "v16";
    private String featureDriftVariant = null;
    private int extraSpansPerRequest = 0;
    private int extraExperiments = 0;

    private Builder() {}

    private Builder(SimulatorConfig c) {
      seed = c.seed;
      requests = c.requests;
      users = c.users;
      startEpochMs = c.startEpochMs;
      requestsPerSecond = c.requestsPerSecond;
      baseCtr = c.baseCtr;
      hybridCtrLift = c.hybridCtrLift;
      hybridFeatureStoreDelayMs = c.hybridFeatureStoreDelayMs;
      cacheHitRate = c.cacheHitRate;
      recencyBoostCacheHitDelta = c.recencyBoostCacheHitDelta;
      spanErrorShare = c.spanErrorShare;
      droppedBaggageShare = c.droppedBaggageShare;
      legacyFlagEventShare = c.legacyFlagEventShare;
      multiTraceMessageShare = c.multiTraceMessageShare;
      splitTraceShare = c.splitTraceShare;
      lateShare = c.lateShare;
      maxLatenessMs = c.maxLatenessMs;
      duplicateShare = c.duplicateShare;
      malformedShare = c.malformedShare;
      lostImpressionShare = c.lostImpressionShare;
      beyondWindowClickShare = c.beyondWindowClickShare;
      attributionWindowMs = c.attributionWindowMs;
      meanClickDelayMs = c.meanClickDelayMs;
      epochMillisTimestampShare = c.epochMillisTimestampShare;
      clickEchoesExperimentsShare = c.clickEchoesExperimentsShare;
      canaryLineageShare = c.canaryLineageShare;
      spanEncoding = c.spanEncoding;
      lateLineageShare = c.lateLineageShare;
      lateLineageRunOffsetMs = c.lateLineageRunOffsetMs;
      untracedLineageShare = c.untracedLineageShare;
      modelMismatchShare = c.modelMismatchShare;
      corruptHashShare = c.corruptHashShare;
      featureDriftCohort = c.featureDriftCohort;
      featureDriftOffsetMs = c.featureDriftOffsetMs;
      featureDriftFeature = c.featureDriftFeature;
      featureDriftVersion = c.featureDriftVersion;
      featureDriftVariant = c.featureDriftVariant;
      extraSpansPerRequest = c.extraSpansPerRequest;
      extraExperiments = c.extraExperiments;
    }

    public Builder seed(long v) { seed = v; return this; }
    public Builder requests(int v) { requests = v; return this; }
    public Builder users(int v) { users = v; return this; }
    public Builder startEpochMs(long v) { startEpochMs = v; return this; }
    public Builder requestsPerSecond(double v) { requestsPerSecond = v; return this; }
    public Builder baseCtr(double v) { baseCtr = v; return this; }
    public Builder hybridCtrLift(double v) { hybridCtrLift = v; return this; }
    public Builder hybridFeatureStoreDelayMs(long v) { hybridFeatureStoreDelayMs = v; return this; }
    public Builder cacheHitRate(double v) { cacheHitRate = v; return this; }
    public Builder recencyBoostCacheHitDelta(double v) { recencyBoostCacheHitDelta = v; return this; }
    public Builder spanErrorShare(double v) { spanErrorShare = v; return this; }
    public Builder droppedBaggageShare(double v) { droppedBaggageShare = v; return this; }
    public Builder legacyFlagEventShare(double v) { legacyFlagEventShare = v; return this; }
    public Builder multiTraceMessageShare(double v) { multiTraceMessageShare = v; return this; }
    public Builder splitTraceShare(double v) { splitTraceShare = v; return this; }
    public Builder lateShare(double v) { lateShare = v; return this; }
    public Builder maxLatenessMs(long v) { maxLatenessMs = v; return this; }
    public Builder duplicateShare(double v) { duplicateShare = v; return this; }
    public Builder malformedShare(double v) { malformedShare = v; return this; }
    public Builder lostImpressionShare(double v) { lostImpressionShare = v; return this; }
    public Builder beyondWindowClickShare(double v) { beyondWindowClickShare = v; return this; }
    public Builder attributionWindowMs(long v) { attributionWindowMs = v; return this; }
    public Builder meanClickDelayMs(long v) { meanClickDelayMs = v; return this; }
    public Builder epochMillisTimestampShare(double v) { epochMillisTimestampShare = v; return this; }
    public Builder clickEchoesExperimentsShare(double v) { clickEchoesExperimentsShare = v; return this; }
    public Builder canaryLineageShare(double v) { canaryLineageShare = v; return this; }
    public Builder spanEncoding(SpanEncoding v) { spanEncoding = v; return this; }
    /** Share of requests served under {@code Lineage.LATE}, whose feature pipeline runs after traffic started. */
    public Builder lateLineageShare(double v) { lateLineageShare = v; return this; }
    /** When the late lineage's pipeline run starts, after the start of traffic (event time). */
    public Builder lateLineageRunOffsetMs(long v) { lateLineageRunOffsetMs = v; return this; }
    /** Share of requests served under {@code Lineage.UNTRACED}, which no pipeline trace describes. */
    public Builder untracedLineageShare(double v) { untracedLineageShare = v; return this; }
    /** Share of impressions that state another model version than the ranker span of their trace reports. */
    public Builder modelMismatchShare(double v) { modelMismatchShare = v; return this; }
    /** Share of impressions whose user_embedding hash is corrupted (unique per impression). */
    public Builder corruptHashShare(double v) { corruptHashShare = v; return this; }
    /**
     * Injects drift: from {@code offsetMs} after the start, requests of users in {@code cohort} are served
     * {@code feature} at {@code version} instead of their lineage's version (same lineage ID; a pipeline run for the new
     * version is emitted before the switch). {@code cohort} null turns it off.
     */
    public Builder featureDrift(String cohort, long offsetMs) { featureDriftCohort = cohort; featureDriftOffsetMs = offsetMs; return this; }
    /** The switched feature (default user_embedding) and the version it switches to (default v16). */
    public Builder featureDriftTo(String feature, String version) { featureDriftFeature = feature; featureDriftVersion = version; return this; }
    /** Limits the drift to the users of one variant, {@code experiment=variant}; null (default): every variant. */
    public Builder featureDriftVariant(String v) { featureDriftVariant = v; return this; }
    /** Database calls the ranker makes per request on top of the usual ones (each one server span): longer traces. */
    public Builder extraSpansPerRequest(int v) { extraSpansPerRequest = v; return this; }
    /** Experiments beyond the two real ones, two variants each, no effect: in baggage, on spans and in impressions. */
    public Builder extraExperiments(int v) { extraExperiments = v; return this; }

    /** Turns off every injected data-quality problem, for tests that need only clean traffic. */
    public Builder clean() {
      droppedBaggageShare = 0;
      lateShare = 0;
      duplicateShare = 0;
      malformedShare = 0;
      lostImpressionShare = 0;
      beyondWindowClickShare = 0;
      multiTraceMessageShare = 0;
      splitTraceShare = 0;
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(seed, requests, users, startEpochMs, requestsPerSecond, baseCtr, hybridCtrLift,
          hybridFeatureStoreDelayMs, cacheHitRate, recencyBoostCacheHitDelta, spanErrorShare, droppedBaggageShare,
          legacyFlagEventShare, multiTraceMessageShare, splitTraceShare, lateShare, maxLatenessMs, duplicateShare,
          malformedShare, lostImpressionShare, beyondWindowClickShare, attributionWindowMs, meanClickDelayMs,
          epochMillisTimestampShare, clickEchoesExperimentsShare, canaryLineageShare, spanEncoding,
          lateLineageShare, lateLineageRunOffsetMs, untracedLineageShare, modelMismatchShare, corruptHashShare,
          featureDriftCohort, featureDriftOffsetMs, featureDriftFeature, featureDriftVersion, featureDriftVariant,
          extraSpansPerRequest, extraExperiments);
    }
  }
}
