package io.recolens.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class StringCodecTest {
    @Test
    void everyKindOfStringComesBackEqual() throws IOException {
        List<String> strings = Arrays.asList(null, "", "a", "4bf92f3577b34da6a3ce929d0e0e4736", "café", "推荐系统", "slate 🎯 item",
                "lone high \ud83c end", "\udf2f lone low at start", "ends high \ud800", "x".repeat(300), "é".repeat(70_000));
        assertThat(roundTrip(strings)).isEqualTo(strings);
    }

    @Test
    void randomCharsIncludingSurrogatesComeBackEqual() throws IOException {
        Random random = new Random(7);
        List<String> strings = new ArrayList<>();
        for (int n = 0; n < 2_000; n++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                int kind = random.nextInt(4);
                chars[i] = (char) (kind == 0 ? random.nextInt(128) : kind == 1 ? random.nextInt(256)
                        : kind == 2 ? 0xd800 + random.nextInt(0x800) : random.nextInt(0x10000));
            }
            strings.add(new String(chars));
        }
        assertThat(roundTrip(strings)).isEqualTo(strings);
    }

    @Test
    void anAsciiStringTakesItsLengthPlusOneHeaderByte() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        StringCodec.write("4bf92f3577b34da6a3ce929d0e0e4736", out);
        assertThat(out.length()).isEqualTo(33);
    }

    @Test
    void aCorruptHeaderIsAnErrorNotAHugeAllocation() {
        byte[] corrupt = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThatThrownBy(() -> StringCodec.read(new DataInputDeserializer(corrupt))).isInstanceOf(IOException.class);
    }

    private static List<String> roundTrip(List<String> strings) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (String s : strings) StringCodec.write(s, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<String> back = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) back.add(StringCodec.read(in));
        assertThat(in.available()).isZero();
        return back;
    }
}
