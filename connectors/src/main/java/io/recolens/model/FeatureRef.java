package io.recolens.model;

import java.util.Objects;

/** One feature an impression was served with: name, version and content hash. */
public class FeatureRef {
    public String name;
    public String version;
    public String hash;

    public FeatureRef() {}

    public FeatureRef(String name, String version, String hash) {
        this.name = name;
        this.version = version;
        this.hash = hash;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FeatureRef)) return false;
        FeatureRef f = (FeatureRef) o;
        return Objects.equals(name, f.name) && Objects.equals(version, f.version) && Objects.equals(hash, f.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, hash);
    }

    @Override
    public String toString() {
        return name + "@" + version;
    }
}
