package io.recolens.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Test only: a Flink sink that keeps every record in a JVM-static list keyed by this instance's
 * id, so a test can read what a job on a MiniCluster (same JVM) wrote. It works only where the
 * job runs in the test's JVM, keeps everything in memory and gives no delivery guarantee across
 * restarts; never use it in a real job. Call {@link #close()} (or {@link #clear()}) to free the
 * records.
 */
public final class CollectingSink<T> implements Sink<T>, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<Object>> RESULTS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        RESULTS.put(id, new ConcurrentLinkedQueue<>());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Queue<Object> target = RESULTS.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                target.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    /** A copy of the records collected so far, in arrival order (per writer; writers interleave). */
    @SuppressWarnings("unchecked")
    public List<T> get() {
        Queue<Object> q = RESULTS.get(id);
        List<T> out = new ArrayList<>();
        if (q != null) for (Object o : q) out.add((T) o);
        return out;
    }

    public void clear() {
        Queue<Object> q = RESULTS.get(id);
        if (q != null) q.clear();
    }

    /** Forgets this sink's records for good. */
    @Override
    public void close() {
        RESULTS.remove(id);
    }
}
