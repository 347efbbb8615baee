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
import java.util.List;

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
     * Records emitted by the job's source operators (named "read ..." in SourceInputs), summed over subtasks;
     * -1 while the metrics are not yet reported.
     */
    long sourceRecordsOut(String jobId) throws IOException, InterruptedException {
        long total = -1;
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String metrics = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode m : get(metrics)) {
                String id = m.path("id").asText();
                if (id.endsWith(".numRecordsOut") && id.contains("read_")) ids.add(id);
            }
            if (ids.isEmpty()) continue;
            for (JsonNode m : get(metrics + "?agg=sum&get=" + String.join(",", ids))) {
                total = Math.max(total, 0) + (long) m.path("sum").asDouble();
            }
        }
        return total;
    }
}
