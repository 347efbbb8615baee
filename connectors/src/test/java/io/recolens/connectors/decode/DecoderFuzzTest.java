package io.recolens.connectors.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests of the decoders over mutated input (byte flips, truncation, splicing, random bytes):
 * a decoder never throws, and every input yields at least one output (records or a dead letter with a reason).
 */
class DecoderFuzzTest {
    private static final int ROUNDS = 20_000;
    private static final String IMPRESSION = "{\"impression_id\":\"imp-1\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
            + "\"user_id\":\"u-1\",\"session_id\":\"s-1\",\"surface\":\"home_feed\",\"timestamp\":\"2026-11-21T10:00:00Z\","
            + "\"experiments\":{\"rec_algorithm_v3\":\"hybrid\",\"ranking_boost_v2\":\"control\"},"
            + "\"model\":{\"name\":\"ranker\",\"version\":\"3.2.1\"},\"features\":{\"emb\":{\"version\":\"v1\",\"hash\":\"h\"}},"
            + "\"items\":[{\"item_id\":\"c-1\",\"position\":0,\"score\":0.5},{\"item_id\":\"c-2\",\"position\":1,\"score\":0.4}],"
            + "\"baggage\":\"experiment.rec_algorithm_v3=hybrid,user.cohort=new\"}";
    private static final String CLICK = "{\"click_id\":\"c\",\"impression_id\":\"imp-1\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
            + "\"item_id\":\"c-1\",\"position\":0,\"user_id\":\"u-1\",\"timestamp\":\"2026-11-21T10:00:05Z\",\"experiments\":{\"rec_algorithm_v3\":\"hybrid\"}}";

    @Test
    void impressionDecoderNeverThrowsAndAlwaysAnswers() {
        fuzz(new ImpressionJsonDecoder(TestRecords.settings()), List.of(IMPRESSION.getBytes(StandardCharsets.UTF_8), CLICK.getBytes(StandardCharsets.UTF_8)), 1);
    }

    @Test
    void clickDecoderNeverThrowsAndAlwaysAnswers() {
        fuzz(new ClickJsonDecoder(TestRecords.settings()), List.of(CLICK.getBytes(StandardCharsets.UTF_8), IMPRESSION.getBytes(StandardCharsets.UTF_8)), 2);
    }

    @Test
    void otlpProtoDecoderNeverThrowsAndAlwaysAnswers() {
        fuzz(new OtlpSpanDecoder(OtlpEncoding.OTLP_PROTO, TestRecords.settings()), List.of(OtlpTestData.multiTrace().toByteArray()), 3);
    }

    @Test
    void otlpJsonDecoderNeverThrowsAndAlwaysAnswers() {
        fuzz(new OtlpSpanDecoder(OtlpEncoding.OTLP_JSON, TestRecords.settings()), List.of(OtlpTestData.toOtlpJson(OtlpTestData.multiTrace())), 4);
    }

    private static <T> void fuzz(RecordDecoder<T> decoder, List<byte[]> seeds, long seed) {
        decoder.open();
        Random random = new Random(seed);
        int records = 0;
        int deadLetters = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(random, seeds);
            List<T> out = new ArrayList<>();
            List<DeadLetter> dead = new ArrayList<>();
            decoder.decode(new RawRecord("fuzz", 0, round, null, input, 0L), out::add, dead::add);
            int r = round;
            assertThat(out.size() + dead.size()).as("round %d answers", r).isPositive();
            assertThat(dead).allSatisfy(d -> assertThat(d.error).as("round %d", r).isNotBlank());
            records += out.size();
            deadLetters += dead.size();
        }
        // Both outcomes occur, so the mutations neither always break nor never break the input.
        assertThat(records).isPositive();
        assertThat(deadLetters).isPositive();
    }

    private static byte[] mutate(Random random, List<byte[]> seeds) {
        byte[] base = seeds.get(random.nextInt(seeds.size()));
        switch (random.nextInt(5)) {
            case 0: { // byte flips
                byte[] b = base.clone();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                return b;
            }
            case 1: // truncation
                return Arrays.copyOf(base, random.nextInt(base.length + 1));
            case 2: { // splice two inputs
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cutA = random.nextInt(base.length + 1);
                int cutB = random.nextInt(other.length + 1);
                byte[] out = Arrays.copyOf(base, cutA + other.length - cutB);
                System.arraycopy(other, cutB, out, cutA, other.length - cutB);
                return out;
            }
            case 3: { // random bytes
                byte[] b = new byte[random.nextInt(200)];
                random.nextBytes(b);
                return b;
            }
            default: // the valid input itself
                return base;
        }
    }
}
