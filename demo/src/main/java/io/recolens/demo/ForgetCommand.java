package io.recolens.demo;

import io.recolens.connectors.decode.UnitKeys;
import io.recolens.connectors.iceberg.RecolensCatalog;
import io.recolens.jobs.config.JobSettings;
import io.recolens.jobs.governance.Governance;
import io.recolens.jobs.governance.GovernanceArgs;
import io.recolens.jobs.governance.MaintenanceLog;
import io.recolens.jobs.governance.UnitErasure;
import java.time.Instant;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code bin/recolens forget (--user U | --unit-key K) --config FILE [--dry-run]}: erases one unit from every table
 * that holds it; {@code maintain --purge} then deletes the old files (docs/governance.md). The user ID is turned into
 * its unit key with the job's HMAC secret and never stored.
 */
public final class ForgetCommand {
    private ForgetCommand() {}

    public static void main(String[] args) throws Exception {
        GovernanceArgs parsed;
        UnitErasure erasure;
        try {
            parsed = GovernanceArgs.parse(args);
            if ((parsed.user() == null) == (parsed.unitKey() == null)) {
                throw new IllegalArgumentException("give exactly one of --user U and --unit-key K");
            }
            if (parsed.purge()) {
                throw new IllegalArgumentException("--purge belongs to bin/recolens maintain");
            }
            if (parsed.user() != null) {
                String secret = JobSettings.unitKeySecret(parsed.config(), System.getenv());
                erasure = new UnitErasure(new UnitKeys(secret).unitKey(parsed.user()), parsed.user().length());
            } else {
                erasure = new UnitErasure(parsed.unitKey(), 0);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("recolens forget: " + e.getMessage());
            System.err.println("usage: bin/recolens forget (--user U | --unit-key K) --config FILE [--dry-run] [--key value ...]");
            System.exit(2);
            return;
        }
        RecolensCatalog catalog = parsed.catalog();
        Catalog opened = catalog.open();
        try {
            Governance.Run run = Governance.forget(opened, catalog.namespace(), erasure, parsed.dryRun(), Instant.now());
            System.out.printf("recolens forget%s: unit key %s, run %s (logged in %s.maintenance_log)%n", parsed.dryRun() ? " --dry-run" : "",
                    erasure.unitKey(), run.runId(), catalog.namespace());
            System.out.print(MaintenanceLog.format(run.actions()));
            System.out.println("recolens: run 'bin/recolens maintain --purge' to delete the old files from storage now");
        } finally {
            if (opened instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
