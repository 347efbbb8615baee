package io.recolens.jobs.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Finds the completed checkpoints and savepoints under a checkpoint directory, newest first.
 *
 * <p>Layouts read: {@code <dir>/<jobId>/chk-<N>/_metadata} (retained checkpoints; every local run is a new
 * job ID, and N continues after a restore), {@code <dir>/savepoint-*}/_metadata and
 * {@code <dir>/<any>/savepoint-*}/_metadata (e.g. {@code <dir>/savepoints/}). A folder without
 * {@code _metadata} is a checkpoint that never completed and is skipped.
 */
public final class RestorePoints {
    static final String METADATA = "_metadata";
    private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");

    private RestorePoints() {}

    /** A completed checkpoint or savepoint: the folder holding its {@code _metadata}. */
    public record RestorePoint(String path, Kind kind, long checkpointId, String owner, long completedAtMs) {
        /** e.g. {@code checkpoint 12 of job 3f2a..., 2026-11-30T10:00:00Z}. */
        public String describe() {
            String what = kind == Kind.CHECKPOINT ? "checkpoint " + checkpointId + " of job " + owner : "savepoint";
            return what + ", " + Instant.ofEpochMilli(completedAtMs);
        }
    }

    /** What kind of snapshot a restore point is. */
    public enum Kind { CHECKPOINT, SAVEPOINT }

    /** The newest completed checkpoint or savepoint under {@code dir}, by the time its metadata was written. */
    public static Optional<RestorePoint> newest(String dir) {
        return list(dir).stream().findFirst();
    }

    /**
     * Every completed restore point under {@code dir}, newest first: by the modification time of
     * {@code _metadata}, then by checkpoint number (N grows across restores, so it breaks ties of a coarse
     * file-system clock). An absent directory has none.
     */
    public static List<RestorePoint> list(String dir) {
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem();
            List<RestorePoint> found = new ArrayList<>();
            if (!fs.exists(root)) return found;
            for (FileStatus child : children(fs, root)) {
                if (!child.isDir()) continue;
                addIfComplete(fs, child.getPath(), found);
                for (FileStatus grandchild : children(fs, child.getPath())) {
                    if (grandchild.isDir()) addIfComplete(fs, grandchild.getPath(), found);
                }
            }
            found.sort(Comparator.comparingLong(RestorePoint::completedAtMs).thenComparingLong(RestorePoint::checkpointId).reversed());
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints under " + dir, e);
        }
    }

    /**
     * Resolves a user-given restore path: a checkpoint or savepoint folder, or its {@code _metadata} file.
     *
     * @throws IllegalArgumentException when there is no {@code _metadata} there
     */
    public static String resolve(String pathOrMetadata) {
        try {
            Path p = new Path(pathOrMetadata);
            if (p.getName().equals(METADATA)) p = p.getParent();
            if (!p.getFileSystem().exists(new Path(p, METADATA))) {
                throw new IllegalArgumentException(pathOrMetadata + " is not a completed checkpoint or savepoint (no " + METADATA + " in it)");
            }
            return p.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pathOrMetadata, e);
        }
    }

    private static void addIfComplete(FileSystem fs, Path folder, List<RestorePoint> found) throws IOException {
        String name = folder.getName();
        Matcher chk = CHECKPOINT.matcher(name);
        boolean checkpoint = chk.matches();
        if (!checkpoint && !name.startsWith("savepoint-")) return;
        Path metadata = new Path(folder, METADATA);
        if (!fs.exists(metadata)) return;
        long at = fs.getFileStatus(metadata).getModificationTime();
        if (checkpoint) {
            found.add(new RestorePoint(folder.toString(), Kind.CHECKPOINT, Long.parseLong(chk.group(1)), folder.getParent().getName(), at));
        } else {
            found.add(new RestorePoint(folder.toString(), Kind.SAVEPOINT, -1, name, at));
        }
    }

    private static FileStatus[] children(FileSystem fs, Path dir) throws IOException {
        FileStatus[] s = fs.listStatus(dir);
        return s == null ? new FileStatus[0] : s;
    }
}
