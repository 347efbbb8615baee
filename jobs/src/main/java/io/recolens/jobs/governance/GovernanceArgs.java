package io.recolens.jobs.governance;

import io.recolens.connectors.iceberg.CatalogConfig;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.ConfigReader;
import io.recolens.jobs.config.RecolensOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * Command line of {@code maintain} and {@code forget}: their own flags ({@code --dry-run}, {@code --purge},
 * {@code --user U}, {@code --unit-key K}) and everything else read exactly as {@code run} reads it ({@code --config FILE}
 * plus {@code --key value}, flags over file over defaults), so the commands reach any catalog the job writes to.
 */
public record GovernanceArgs(boolean dryRun, boolean purge, String user, String unitKey, Configuration config) {

    public static GovernanceArgs parse(String[] args) {
        boolean dryRun = false;
        boolean purge = false;
        String user = null;
        String unitKey = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dry-run" -> dryRun = true;
                case "--purge" -> purge = true;
                case "--user" -> user = value(args, ++i, "--user");
                case "--unit-key" -> unitKey = value(args, ++i, "--unit-key");
                default -> rest.add(args[i]);
            }
        }
        return new GovernanceArgs(dryRun, purge, user, unitKey, ConfigReader.fromArgs(rest.toArray(String[]::new)));
    }

    /** The catalog named by the {@code catalog.*} keys. */
    public RecolensCatalog catalog() {
        return RecolensCatalog.of(CatalogConfig.fromPrefixedProperties(config.toMap(), RecolensOptions.CATALOG_PREFIX));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
