package io.recolens.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strings of records in flight, as their UTF-8 bytes behind a varint header (0 is null). Written and read in
 * one bulk copy each: Flink's {@code StringValue} writes and reads one char at a time through the paged views, which
 * a profile of the batch job showed among the top self frames (per-byte {@code writeByte}, {@code String.charAt},
 * a thread-local buffer lookup per read). Only for records between tasks, never for state.
 */
public final class StringCodec {
    private StringCodec() {}

    public static void write(String s, DataOutput out) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == s.length() ? replacedSurrogate(s, bytes) : hasLoneSurrogate(s)) {
            // UTF-8 cannot carry a lone surrogate (it would come back as '?'): such a string travels as its chars.
            writeVarint(1 + 2 * s.length() + UTF16, out);
            for (int i = 0; i < s.length(); i++) out.writeChar(s.charAt(i));
            return;
        }
        writeVarint(1 + 2 * bytes.length + UTF8, out);
        out.write(bytes);
    }

    public static String read(DataInput in) throws IOException {
        int header = readVarint(in);
        if (header == 0) return null;
        int length = (header - 1) >>> 1;
        if (((header - 1) & 1) == UTF16) {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) chars[i] = in.readChar();
            return new String(chars);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static final int UTF8 = 0;
    private static final int UTF16 = 1;

    /** For a string of as many UTF-8 bytes as chars: ASCII, but a lone surrogate also encodes as one byte, '?'. */
    private static boolean replacedSurrogate(String s, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '?' && s.charAt(i) != '?') return true;
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    static void writeVarint(int value, DataOutput out) throws IOException {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out.writeByte((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    static int readVarint(DataInput in) throws IOException {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) throw new IOException("corrupt string length " + Integer.toUnsignedString(result));
                return result;
            }
        }
        throw new IOException("corrupt string length: varint longer than 5 bytes");
    }
}
