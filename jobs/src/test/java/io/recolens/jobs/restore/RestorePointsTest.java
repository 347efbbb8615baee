package io.recolens.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.jobs.restore.RestorePoints.Kind;
import io.recolens.jobs.restore.RestorePoints.RestorePoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorePointsTest {
    @TempDir
    Path dir;

    private Path completed(String relative, long mtimeMs) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(relative));
        Path metadata = Files.writeString(folder.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(mtimeMs));
        return folder;
    }

    @Test
    void newestIsTheLatestCompletedMetadataAcrossJobFoldersAndSavepoints() throws Exception {
        completed("aaaa/chk-3", 1_000);
        completed("aaaa/chk-4", 2_000);
        Path restored = completed("bbbb/chk-7", 5_000); // a later run restored from chk-4 and went on
        Files.createDirectories(dir.resolve("bbbb/chk-8")); // in progress when killed: no _metadata
        Files.createDirectories(dir.resolve("bbbb/shared"));
        Files.createDirectories(dir.resolve("bbbb/taskowned"));
        completed("savepoints/savepoint-aaaa00-0123456789ab", 3_000);

        List<RestorePoint> all = RestorePoints.list(dir.toString());

        assertThat(all).extracting(RestorePoint::kind, RestorePoint::checkpointId, RestorePoint::owner)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.CHECKPOINT, 7L, "bbbb"),
                        org.assertj.core.groups.Tuple.tuple(Kind.SAVEPOINT, -1L, "savepoint-aaaa00-0123456789ab"),
                        org.assertj.core.groups.Tuple.tuple(Kind.CHECKPOINT, 4L, "aaaa"),
                        org.assertj.core.groups.Tuple.tuple(Kind.CHECKPOINT, 3L, "aaaa"));
        assertThat(Path.of(java.net.URI.create(RestorePoints.newest(dir.toString()).orElseThrow().path()).getPath()))
                .isEqualTo(restored);
        assertThat(all.get(0).describe()).startsWith("checkpoint 7 of job bbbb, 1970-01-01T00:00:05Z");
    }

    @Test
    void aSavepointTakenAfterTheLastCheckpointWins() throws Exception {
        completed("aaaa/chk-9", 1_000);
        completed("savepoint-aaaa00-ffffffffffff", 2_000);
        assertThat(RestorePoints.newest(dir.toString())).get().extracting(RestorePoint::kind).isEqualTo(Kind.SAVEPOINT);
    }

    @Test
    void equalTimesAreBrokenByTheHigherCheckpointNumber() throws Exception {
        completed("aaaa/chk-2", 1_000);
        completed("bbbb/chk-3", 1_000);
        assertThat(RestorePoints.newest(dir.toString())).get().extracting(RestorePoint::checkpointId).isEqualTo(3L);
    }

    @Test
    void nothingCompletedOrNoFolderMeansNoRestorePoint() throws Exception {
        assertThat(RestorePoints.newest(dir.resolve("absent").toString())).isEmpty();
        Files.createDirectories(dir.resolve("aaaa/chk-1"));
        assertThat(RestorePoints.newest(dir.toString())).isEmpty();
    }

    @Test
    void resolveAcceptsTheFolderOrItsMetadataAndRefusesAnIncompleteOne() throws Exception {
        Path chk = completed("aaaa/chk-5", 1_000);
        assertThat(RestorePoints.resolve(chk.toString())).isEqualTo(RestorePoints.resolve(chk.resolve("_metadata").toString()));
        Path incomplete = Files.createDirectories(dir.resolve("aaaa/chk-6"));
        assertThatThrownBy(() -> RestorePoints.resolve(incomplete.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no _metadata");
    }
}
