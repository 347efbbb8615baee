package io.recolens.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A few calls of the local Flink's REST API on 127.0.0.1 (jobs, stop with savepoint, source metrics). */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    FlinkRest(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** IDs of the jobs in state RUNNING. */
    List<String> runningJobs() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode j : get("/jobs").path("jobs")) {
            if ("RUNNING".equals(j.path("status").asText())) ids.add(j.path("id").asText());
        }
        return ids;
    }

    /**
     * Input records read by each of the job's inputs (the decoders' {@code decoder.<input>.records} counter: one per
     * Kafka or file record, however many records it decodes into), summed over subtasks. A source whose tasks have
     * finished is no longer listed: callers keep the last value they saw.
     */
    Map<String, Long> inputRecordsRead(String jobId) throws IOException, InterruptedException {
        Map<String, Long> out = new HashMap<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String metrics = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode m : get(metrics)) {
                String id = m.path("id").asText();
                if (id.endsWith(".records") && id.contains(".decoder.")) ids.add(id);
            }
            if (ids.isEmpty()) continue;
            String query = java.net.URLEncoder.encode(String.join(",", ids), java.nio.charset.StandardCharsets.UTF_8);
            for (JsonNode m : get(metrics + "?agg=sum&get=" + query)) {
                out.merge(m.path("id").asText(), (long) m.path("sum").asDouble(), Long::sum);
            }
        }
        return out;
    }
}
