package io.recolens.jobs.governance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Files under a table's location that no snapshot, manifest or metadata file references: left by failed commits,
 * killed writers and (before expiry cleaned them) rewrites. Only files older than a minimum age count, because a
 * writer in flight has written files that its commit has not referenced yet.
 */
final class OrphanFiles {

    private OrphanFiles() {}

    /** Orphans older than {@code olderThanMs} (epoch ms); empty when the table's FileIO cannot list. */
    static List<FileInfo> find(Table table, long olderThanMs) {
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            return List.of();
        }
        Set<String> reachable = reachable(table);
        List<FileInfo> orphans = new ArrayList<>();
        for (FileInfo file : listing.listPrefix(table.location())) {
            if (file.createdAtMillis() < olderThanMs && !reachable.contains(normalize(file.location()))) {
                orphans.add(file);
            }
        }
        return orphans;
    }

    /** Whether the table's storage can be listed (orphan removal is skipped and reported otherwise). */
    static boolean canList(Table table) {
        return table.io() instanceof SupportsPrefixOperations;
    }

    static Set<String> reachable(Table table) {
        Set<String> paths = new HashSet<>();
        ReachableFileUtil.metadataFileLocations(table, true).forEach(p -> paths.add(normalize(p)));
        paths.add(normalize(ReachableFileUtil.versionHintLocation(table)));
        ReachableFileUtil.statisticsFilesLocations(table).forEach(p -> paths.add(normalize(p)));
        Set<String> manifests = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            paths.add(normalize(snapshot.manifestListLocation()));
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                if (manifests.add(manifest.path())) {
                    paths.add(normalize(manifest.path()));
                    try {
                        if (manifest.content() == ManifestContent.DATA) {
                            try (ManifestReader<DataFile> files = ManifestFiles.read(manifest, table.io(), table.specs())) {
                                files.forEach(f -> paths.add(normalize(f.location())));
                            }
                        } else {
                            try (ManifestReader<DeleteFile> deletes = ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                                deletes.forEach(d -> paths.add(normalize(d.location())));
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read manifest " + manifest.path() + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return paths;
    }

    // Metadata stores "/w/t/f" for a local warehouse while listings say "file:/w/t/f": compare paths, not spellings.
    static String normalize(String location) {
        if (location == null) {
            return "";
        }
        if (location.startsWith("file:") || location.startsWith("/")) {
            String path = URI.create(location.replace(" ", "%20")).getPath();
            return path == null ? location : path.replaceAll("/+", "/");
        }
        return location;
    }
}
