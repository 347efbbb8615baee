package io.recolens.demo;

/** One progress line of a bounded run: records read of the total, rate and ETA. */
final class ReadProgress {
    private ReadProgress() {}

    /**
     * @param read records read so far (negative: not reported yet)
     * @param total records to read (negative: unknown)
     * @param elapsedMs since the job started
     */
    static String line(long read, long total, long elapsedMs) {
        if (read < 0) return "waiting for the job's first metrics";
        double rate = read * 1000.0 / Math.max(elapsedMs, 1);
        if (total <= 0) return String.format("read %,d records, %,.0f rec/s", read, rate);
        double pct = Math.min(100.0, 100.0 * read / total);
        String eta = rate <= 0 ? "?" : String.format("%.0fs", Math.max(0, total - read) / rate);
        return String.format("read %,d of %,d records (%.1f%%), %,.0f rec/s, ETA %s", read, total, pct, rate, eta);
    }
}
