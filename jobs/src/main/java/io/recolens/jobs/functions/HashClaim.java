package io.recolens.jobs.functions;

/**
 * The first impression (in event time) one salted key of {@link ProvenanceJoin} saw serve a hash for a lineage's
 * feature version; {@link FeatureHashCheck} compares the claims of all salts.
 */
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

    /** The feature version the claim is about. */
    public String key() {
        return lineageId + '\u0000' + featureName + '\u0000' + featureVersion;
    }

    @Override
    public String toString() {
        return "HashClaim{" + lineageId + " " + featureName + "@" + featureVersion + "=" + hash + " by " + impressionId + "}";
    }
}
