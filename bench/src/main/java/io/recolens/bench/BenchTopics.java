package io.recolens.bench;

import java.util.List;

/** The topics of one loaded data set: impressions and clicks shared, spans once per encoding. */
record BenchTopics(String prefix) {
    String impressions() {
        return prefix + ".impressions";
    }

    String clicks() {
        return prefix + ".clicks";
    }

    String spans(String encoding) {
        return prefix + ".spans." + encoding;
    }

    List<String> all(String encoding) {
        return List.of(impressions(), clicks(), spans(encoding));
    }
}
