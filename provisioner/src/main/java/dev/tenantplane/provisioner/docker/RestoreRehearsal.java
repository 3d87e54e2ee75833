package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.events.BackupCompleted.TableRows;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.ProvisionerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Proves that a database archive restores, the way a restore would use it: inside the customer's
 * database container, the archive is restored into a scratch database ({@value #SCRATCH}), each
 * table's rows there are counted, and the counts must equal the rows the archive holds for it
 * (counted from its data, {@code pg_restore --data-only}). The scratch database is dropped
 * afterwards, and before, should a crash have left one behind.
 *
 * <p>It costs a restore's time and the space of a second copy of the data for a while, in the
 * customer's own container; in return a backup is known to give back every row before an older one
 * is pruned.
 */
@ApplicationScoped
public class RestoreRehearsal {
  static final String SCRATCH = "tenantplane_rehearsal";
  private static final String ARCHIVE_IN_CONTAINER = "tenantplane-rehearsal.dump";
  // Arguments: owner role, archive, scratch database. Prints "archive TABLE ROWS" for each table
  // whose data the archive holds and "restored TABLE ROWS" for each table of the scratch database.
  private static final String SCRIPT =
      String.join(
          "\n",
          "set -euo pipefail",
          "owner=\"$1\" archive=\"$2\" scratch=\"$3\"",
          "drop() { dropdb --no-password --if-exists --username=\"$owner\" \"$scratch\"; }",
          "drop",
          "createdb --no-password --username=\"$owner\" --template=template0 \"$scratch\"",
          "trap drop EXIT",
          "pg_restore --no-password --username=\"$owner\" --dbname=\"$scratch\" --no-owner"
              + " --exit-on-error --single-transaction \"$archive\"",
          "pg_restore --data-only --file=- \"$archive\" | awk '",
          "  /^COPY / { table = $2; rows = 0; copying = 1; next }",
          "  copying && $0 == \"\\\\.\" { print \"archive\", table, rows; copying = 0; next }",
          "  copying { rows++ }'",
          "psql --no-psqlrc --no-password -v ON_ERROR_STOP=1 --username=\"$owner\""
              + " --dbname=\"$scratch\" --tuples-only --no-align --field-separator=' ' -c \"",
          "  SELECT 'restored', format('%I.%I', n.nspname, c.relname),",
          "    (xpath('/row/c/text()', query_to_xml(",
          "      format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname),"
              + " false, true, '')))[1]::text",
          "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace",
          "  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
          "    AND n.nspname NOT LIKE 'pg_toast%'\"");

  private final ContainerFiles files;
  private final ContainerExec exec;
  private final ProvisionerSettings settings;

  public RestoreRehearsal(ContainerFiles files, ContainerExec exec, ProvisionerSettings settings) {
    this.files = files;
    this.exec = exec;
    this.settings = settings;
  }

  /** The rows each table got in the scratch database, by table name. */
  public List<TableRows> rehearse(TenantNames names, Path archive, String step)
      throws StepException {
    String id = names.customerId();
    String context = "step=" + step + " customer=" + id;
    ContainerFiles.Owner user = files.userOf(names, step, names.databaseContainer());
    files.copyIn(
        names, step, names.databaseContainer(), archive, "/tmp", ARCHIVE_IN_CONTAINER, user);
    ContainerExec.Output output;
    try {
      output =
          exec.run(
              names,
              step,
              names.databaseContainer(),
              "pg_restore",
              List.of(
                  "bash",
                  "-c",
                  SCRIPT,
                  "rehearsal",
                  names.ownerRole(),
                  "/tmp/" + ARCHIVE_IN_CONTAINER,
                  SCRATCH),
              settings.backupTimeout());
    } finally {
      exec.run(
          names,
          step,
          names.databaseContainer(),
          "rm",
          List.of("rm", "-f", "/tmp/" + ARCHIVE_IN_CONTAINER),
          Duration.ofSeconds(10));
    }
    if (!output.succeeded()) {
      throw new StepException(
          "customer "
              + id
              + ": the backup did not restore into a scratch database (exit code "
              + output.exit()
              + ")",
          true,
          context + " stderr=\"" + output.diagnostics() + "\"");
    }
    return compare(id, output.stdout(), context);
  }

  /** The restored rows of each table, when they equal the archive's; a failure otherwise. */
  static List<TableRows> compare(String id, String report, String context) throws StepException {
    Map<String, Long> archived = new TreeMap<>();
    Map<String, Long> restored = new TreeMap<>();
    for (String line : report.split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length == 3 && (fields[0].equals("archive") || fields[0].equals("restored"))) {
        (fields[0].equals("archive") ? archived : restored)
            .put(fields[1], Long.parseLong(fields[2]));
      }
    }
    List<String> differences = new ArrayList<>();
    archived.forEach(
        (table, rows) -> {
          Long got = restored.get(table);
          if (!rows.equals(got)) {
            differences.add(
                table
                    + ": "
                    + rows
                    + " in the archive, "
                    + (got == null ? "no table" : got)
                    + " restored");
          }
        });
    if (archived.isEmpty() || !differences.isEmpty()) {
      throw new StepException(
          "customer "
              + id
              + ": the backup restored differently from what it holds: "
              + (archived.isEmpty()
                  ? "the archive holds no table data"
                  : String.join("; ", differences)),
          false,
          context);
    }
    List<TableRows> rows = new ArrayList<>();
    restored.forEach((table, count) -> rows.add(new TableRows(table, count)));
    return rows;
  }
}
