package io.recolens.model;

import java.util.Objects;

/**
 * One feature an impression was served with: name, version and content hash as the impression states them, plus
 * the provenance joined by lineage ID (source, pipeline trace, production time; null while or when unknown).
 */
public class FeatureRef {
    public String name;
    public String version;
    public String hash;
    /** {@code feature.source} of the provenance span; null when no provenance is known. */
    public String source;
    /** Trace ID of the feature-pipeline run that produced the feature; null when unknown. */
    public String pipelineTraceId;
    /** Epoch ms the pipeline step finished; null when unknown. */
    public Long producedAt;

    public FeatureRef() {}

    public FeatureRef(String name, String version, String hash) {
        this.name = name;
        this.version = version;
        this.hash = hash;
    }

    /** A copy with the same served fields and no provenance. */
    public FeatureRef copy() {
        FeatureRef f = new FeatureRef(name, version, hash);
        f.source = source;
        f.pipelineTraceId = pipelineTraceId;
        f.producedAt = producedAt;
        return f;
    }

    public boolean hasAncestry() {
        return pipelineTraceId != null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FeatureRef)) return false;
        FeatureRef f = (FeatureRef) o;
        return Objects.equals(name, f.name) && Objects.equals(version, f.version) && Objects.equals(hash, f.hash)
                && Objects.equals(source, f.source) && Objects.equals(pipelineTraceId, f.pipelineTraceId)
                && Objects.equals(producedAt, f.producedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, hash, source, pipelineTraceId, producedAt);
    }

    @Override
    public String toString() {
        return name + "@" + version + (pipelineTraceId == null ? "" : " from " + pipelineTraceId);
    }
}
