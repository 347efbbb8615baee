package io.recolens.jobs.functions;

/** One feature hash one impression was served with, as {@link FeatureHashCheck} compares them per unit. */
public class HashClaim {
    public String lineageId;
    public String featureName;
    public String featureVersion;
    public String hash;
    public String impressionId;
    public String traceId;
    public long servedAt;
    public String experiment;
    public String variant;
    public String experiments;

    public HashClaim() {}

    @Override
    public String toString() {
        return "HashClaim{" + lineageId + " " + featureName + "@" + featureVersion + "=" + hash + " by " + impressionId + "}";
    }
}
