package io.recolens.clustertestkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/** The calls of a Flink cluster's REST API that submitting and operating the job needs (upload, run, stop, status, metrics). */
public final class ClusterRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ClusterRest(URI base) {
        String s = base.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Duration.ofSeconds(30));
    }

    public JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), Duration.ofMinutes(5));
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + errors(r.body()));
        }
        return JSON.readTree(r.body());
    }

    /** Flink answers errors as {"errors": [...]}; the first line of each is what a user needs to read. */
    private static String errors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (!errors.isArray()) return body;
            List<String> out = new ArrayList<>();
            for (JsonNode e : errors) out.add(e.asText());
            return String.join("\n", out);
        } catch (IOException e) {
            return body;
        }
    }

    /** Uploads a jar ({@code POST /jars/upload}, multipart) and returns its ID on the cluster. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "recolens-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofString(tail));
        JsonNode r = send(HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body), Duration.ofMinutes(5));
        String file = r.path("filename").asText();
        if (file.isEmpty()) throw new IOException("upload of " + jar + " answered " + r);
        return Path.of(file).getFileName().toString();
    }

    /**
     * Runs an uploaded jar ({@code POST /jars/:id/run}): its main() runs in the JobManager and submits the job.
     *
     * @param savepointPath checkpoint or savepoint to restore, or null
     * @return the job ID
     */
    public String runJar(String jarId, String entryClass, List<String> args, Integer parallelism, String savepointPath)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entryClass", entryClass);
        body.put("programArgsList", args);
        if (parallelism != null) body.put("parallelism", parallelism);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", false);
        }
        JsonNode r = post("/jars/" + jarId + "/run", body);
        String job = r.path("jobid").asText();
        if (job.isEmpty()) throw new IOException("run of " + jarId + " answered " + r);
        return job;
    }

    /** The job's status (RUNNING, FINISHED, RESTARTING, ...). */
    public String jobStatus(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Completed checkpoints of the job so far. */
    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** Live TaskManagers registered with the JobManager. */
    public int taskManagerCount() throws IOException, InterruptedException {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    /** Resource IDs of the registered TaskManagers. */
    public List<String> taskManagerIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) ids.add(tm.path("id").asText());
        return ids;
    }

    /**
     * Stops the job with a savepoint ({@code POST /jobs/:id/stop}) and waits until it is written.
     *
     * @param drain first advance to the end of event time (every window and join fires): a final stop, not an upgrade
     * @return the savepoint's location
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, boolean drain, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (targetDirectory != null) body.put("targetDirectory", targetDirectory);
        body.put("drain", drain);
        String trigger = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode s = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(s.path("status").path("id").asText())) {
                JsonNode op = s.path("operation");
                if (op.has("location")) return op.path("location").asText();
                String cause = op.path("failure-cause").path("stack-trace").asText(op.toString());
                throw new IOException("stop with savepoint of " + jobId + " failed: " + cause.lines().limit(3).reduce((a, b) -> a + "\n" + b).orElse(""));
            }
            Thread.sleep(250);
        }
        throw new IOException("the savepoint of " + jobId + " did not complete within " + timeout);
    }

    /**
     * Metrics of every task of the job whose ID passes the filter, summed over subtasks: ID (as the REST API names it,
     * {@code <operator>.<metric>}) → sum. A task that has finished is no longer listed.
     */
    public Map<String, Double> taskMetrics(String jobId, Predicate<String> ids) throws IOException, InterruptedException {
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> wanted = new ArrayList<>();
            for (JsonNode m : get(path)) {
                String id = m.path("id").asText();
                if (ids.test(id)) wanted.add(id);
            }
            // Long metric lists in one query string would exceed URL limits: ask in chunks.
            for (int i = 0; i < wanted.size(); i += 40) {
                String q = URLEncoder.encode(String.join(",", wanted.subList(i, Math.min(wanted.size(), i + 40))), StandardCharsets.UTF_8);
                for (JsonNode m : get(path + "?agg=sum&get=" + q)) out.merge(m.path("id").asText(), m.path("sum").asDouble(), Double::sum);
            }
        }
        return out;
    }

    /** Job-level metrics (checkpoint counts and the like): ID → value. */
    public Map<String, String> jobMetrics(String jobId) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode m : get("/jobs/" + jobId + "/metrics")) ids.add(m.path("id").asText());
        Map<String, String> out = new TreeMap<>();
        if (ids.isEmpty()) return out;
        for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8))) {
            out.put(m.path("id").asText(), m.path("value").asText());
        }
        return out;
    }
}
