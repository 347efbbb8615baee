package io.recolens.demo;

import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.governance.Governance;
import io.recolens.jobs.governance.GovernanceArgs;
import io.recolens.jobs.governance.MaintenanceLog;
import io.recolens.jobs.governance.MaintenanceSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens maintain --config FILE [--dry-run] [--purge] [--key value ...]}: retention, compaction, snapshot
 * expiry and orphan removal on every recolens table of the configured catalog; prints and logs what it did
 * (docs/governance.md).
 */
public final class MaintainCommand {
    private MaintainCommand() {}

    public static void main(String[] args) throws Exception {
        GovernanceArgs parsed;
        MaintenanceSettings settings;
        try {
            parsed = GovernanceArgs.parse(args);
            if (parsed.user() != null || parsed.unitKey() != null) {
                throw new IllegalArgumentException("maintain takes no --user/--unit-key: use bin/recolens forget");
            }
            settings = MaintenanceSettings.from(parsed.config());
        } catch (IllegalArgumentException e) {
            System.err.println("recolens maintain: " + e.getMessage());
            System.err.println("usage: bin/recolens maintain --config FILE [--dry-run] [--purge] [--key value ...]");
            System.exit(2);
            return;
        }
        RecolensCatalog catalog = parsed.catalog();
        Catalog opened = catalog.open();
        try {
            Governance.Run run = Governance.maintain(opened, catalog.namespace(), settings, parsed.dryRun(), parsed.purge(), Instant.now(),
                    LocalDate.now(ZoneOffset.UTC));
            System.out.printf("recolens maintain%s%s: run %s (logged in %s.maintenance_log)%n", parsed.dryRun() ? " --dry-run" : "",
                    parsed.purge() ? " --purge" : "", run.runId(), catalog.namespace());
            System.out.print(MaintenanceLog.format(run.actions()));
        } finally {
            if (opened instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
