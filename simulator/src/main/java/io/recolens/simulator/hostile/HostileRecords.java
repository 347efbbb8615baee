package io.recolens.simulator.hostile;

import io.recolens.simulator.Topic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile input for the fuzz suite: broken JSON of many kinds, protobuf that cannot parse,
 * impressions that are valid JSON but hostile (absurd timestamps, huge fields, huge slates, thousands of
 * experiments, huge baggage, control characters), and mutations of valid records (byte flips, truncation,
 * splicing of two records). Every record says what it is, so a test can account for each one.
 */
public final class HostileRecords {

    /** What a hostile record is. */
    public enum Kind {
        TRUNCATED_JSON, DEEP_NESTING, INVALID_UTF8, RANDOM_BYTES, EMPTY, JSON_NULL, BARE_STRING, HUGE_NUMBER,
        MISSING_ID, UNPARSEABLE_PROTOBUF, TIME_YEAR_9999, TIME_NEGATIVE, HUGE_FIELD, HUGE_SLATE, MANY_EXPERIMENTS,
        HUGE_BAGGAGE, CONTROL_CHARS_USER, FLIPPED_BYTES, TRUNCATED_VALID, SPLICED, FLIPPED_OTLP, TRUNCATED_OTLP,
        /** Within the per-record limit, but every record names experiments never seen before: only the cardinality limits bound it. */
        ROTATING_EXPERIMENTS
    }

    /** One hostile record for one topic; {@code userId} is the raw user ID it carries, if any (for privacy scans). */
    public record Hostile(Topic topic, Kind kind, byte[] value, String userId) {}

    private final Random random;
    private final List<byte[]> impressions;
    private final List<byte[]> clicks;
    private final List<byte[]> spanMessages;
    private int serial;

    /**
     * @param impressions valid impression records to mutate (JSON)
     * @param clicks valid click records to mutate (JSON)
     * @param spanMessages valid OTLP messages to mutate
     */
    public HostileRecords(long seed, List<byte[]> impressions, List<byte[]> clicks, List<byte[]> spanMessages) {
        if (impressions.isEmpty() || clicks.isEmpty() || spanMessages.isEmpty()) {
            throw new IllegalArgumentException("mutation needs at least one valid record of each topic");
        }
        this.random = new Random(seed);
        this.impressions = impressions;
        this.clicks = clicks;
        this.spanMessages = spanMessages;
    }

    /** {@code n} records; the expensive kinds (a slate of 20,000 items, a 400 KB field) are rare, as in an attack mix. */
    public List<Hostile> generate(int n) {
        List<Hostile> out = new ArrayList<>(n);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < n; i++) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            if ((kind == Kind.HUGE_FIELD || kind == Kind.HUGE_SLATE || kind == Kind.HUGE_BAGGAGE || kind == Kind.DEEP_NESTING
                    || kind == Kind.MANY_EXPERIMENTS) && random.nextInt(20) != 0) {
                kind = Kind.FLIPPED_BYTES;
            }
            out.add(one(kind));
        }
        return out;
    }

    /** One record of the given kind. */
    public Hostile one(Kind kind) {
        int id = serial++;
        String user = "u-hostile-" + id;
        return switch (kind) {
            case TRUNCATED_JSON -> json(Topic.IMPRESSIONS, kind, "{\"impression_id\": \"h-" + id + "\", \"user_id\": \"" + user + "\", \"trace_id\": ", user);
            case DEEP_NESTING -> json(Topic.IMPRESSIONS, kind, "[".repeat(100_000) + "]".repeat(100_000), null);
            case INVALID_UTF8 -> new Hostile(Topic.IMPRESSIONS, kind, invalidUtf8(id, user), user);
            case RANDOM_BYTES -> new Hostile(random.nextBoolean() ? Topic.IMPRESSIONS : Topic.CLICKS, kind, randomBytes(1 + random.nextInt(300)), null);
            case EMPTY -> new Hostile(random.nextBoolean() ? Topic.CLICKS : Topic.SPANS, kind, new byte[0], null);
            case JSON_NULL -> json(Topic.IMPRESSIONS, kind, "null", null);
            case BARE_STRING -> json(Topic.CLICKS, kind, "\"just a string\"", null);
            case HUGE_NUMBER -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":" + "9".repeat(5000)), user);
            case MISSING_ID -> json(Topic.IMPRESSIONS, kind, "{\"trace_id\":\"" + traceId() + "\",\"user_id\":\"" + user + "\",\"timestamp\":1,\"experiments\":{}}", user);
            case UNPARSEABLE_PROTOBUF -> new Hostile(Topic.SPANS, kind, unparseableProtobuf(), null);
            case TIME_YEAR_9999 -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":\"9999-01-01T00:00:00Z\""), user);
            case TIME_NEGATIVE -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":-5"), user);
            case HUGE_FIELD -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":" + now() + ",\"session_id\":\"" + "s".repeat(400_000) + "\""), user);
            case HUGE_SLATE -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":" + now() + ",\"items\":[" + items(20_000) + "]"), user);
            case MANY_EXPERIMENTS -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":" + now(), experiments(5_000)), user);
            case ROTATING_EXPERIMENTS -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":" + now(), experiments("rot" + id + "_", 60)), user);
            case HUGE_BAGGAGE -> json(Topic.IMPRESSIONS, kind, impression(id, user, "\"timestamp\":" + now()
                    + ",\"baggage\":\"experiment.rec_algorithm_v3=hybrid," + "k=v,".repeat(100_000) + "\""), user);
            case CONTROL_CHARS_USER -> json(Topic.IMPRESSIONS, kind, impression(id, "u-\\u0000\\u0007\\u001b[31m" + id, "\"timestamp\":" + now()), null);
            case FLIPPED_BYTES -> mutated(kind, flip(pickJson()));
            case TRUNCATED_VALID -> mutated(kind, truncate(pickJson()));
            case SPLICED -> mutated(kind, splice(pickJson(), pickJson()));
            case FLIPPED_OTLP -> new Hostile(Topic.SPANS, kind, flip(pick(spanMessages)), null);
            case TRUNCATED_OTLP -> new Hostile(Topic.SPANS, kind, truncate(pick(spanMessages)), null);
        };
    }

    private Hostile json(Topic topic, Kind kind, String text, String userId) {
        return new Hostile(topic, kind, text.getBytes(StandardCharsets.UTF_8), userId);
    }

    private Hostile mutated(Kind kind, byte[] value) {
        return new Hostile(lastPickedTopic, kind, value, null);
    }

    private Topic lastPickedTopic = Topic.IMPRESSIONS;

    private byte[] pickJson() {
        boolean impression = random.nextInt(3) != 0;
        lastPickedTopic = impression ? Topic.IMPRESSIONS : Topic.CLICKS;
        return pick(impression ? impressions : clicks);
    }

    private byte[] pick(List<byte[]> from) {
        return from.get(random.nextInt(from.size()));
    }

    private String impression(int id, String user, String timestampField) {
        return impression(id, user, timestampField, "\"rec_algorithm_v3\":\"hybrid\"");
    }

    private String impression(int id, String user, String timestampField, String experiments) {
        return "{\"impression_id\":\"h-" + id + "\",\"trace_id\":\"" + traceId() + "\",\"user_id\":\"" + user + "\","
                + timestampField + ",\"experiments\":{" + experiments + "},\"items\":[{\"item_id\":\"c-1\"}]}";
    }

    private String traceId() {
        return String.format("%016x%016x", random.nextLong(), random.nextLong() | 1);
    }

    private static long now() {
        return System.currentTimeMillis() - 60_000;
    }

    private static String items(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("{\"item_id\":\"c-").append(i).append("\"}");
        return b.toString();
    }

    private static String experiments(int n) {
        return experiments("exp_", n);
    }

    private static String experiments(String prefix, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append('"').append(prefix).append(i).append("\":\"v\"");
        return b.toString();
    }

    private byte[] invalidUtf8(int id, String user) {
        byte[] prefix = ("{\"impression_id\":\"h-" + id + "\",\"user_id\":\"" + user + "\",\"surface\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(prefix, prefix.length + 4);
        out[prefix.length] = (byte) 0xC3;
        out[prefix.length + 1] = (byte) 0x28;
        out[prefix.length + 2] = (byte) 0xFF;
        out[prefix.length + 3] = '"';
        return out;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Bytes that fail protobuf parsing: a field tag with the reserved wire type 7 right at the start. */
    private byte[] unparseableProtobuf() {
        byte[] b = randomBytes(8 + random.nextInt(64));
        b[0] = (byte) 0x0F;
        return b;
    }

    private byte[] flip(byte[] valid) {
        byte[] b = valid.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private byte[] truncate(byte[] valid) {
        return Arrays.copyOf(valid, random.nextInt(Math.max(1, valid.length)));
    }

    private byte[] splice(byte[] a, byte[] b) {
        int cutA = random.nextInt(Math.max(1, a.length));
        int cutB = random.nextInt(Math.max(1, b.length));
        byte[] out = Arrays.copyOf(a, cutA + (b.length - cutB));
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }
}
