package dev.tenantplane.provisioner.docker;

import dev.tenantplane.common.events.BackupCompleted.TableRows;
import dev.tenantplane.common.naming.TenantNames;
import dev.tenantplane.kit.StepException;
import dev.tenantplane.provisioner.backup.BackupRole;
import dev.tenantplane.provisioner.backup.StoredBackup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
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
  // Arguments: owner role, scratch database, archive. Prints "archive TABLE ROWS" for each table
  // whose data the archive holds and "restored TABLE ROWS" for each table of the scratch database.
  private static final String SCRIPT =
      String.join(
          "\n",
          "set -euo pipefail",
          "owner=\"$1\" scratch=\"$2\" archive=\"$3\"",
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

  private final ArchiveScript archiveScript;

  public RestoreRehearsal(ArchiveScript archiveScript) {
    this.archiveScript = archiveScript;
  }

  /** The rows each table got in the scratch database, by table name. */
  public List<TableRows> rehearse(TenantNames names, Path archive, String step)
      throws StepException {
    String id = names.customerId();
    String context = "step=" + step + " customer=" + id;
    ContainerExec.Output output =
        archiveScript.run(
            names,
            step,
            new StoredBackup(archive, id, BackupRole.DATABASE_ARCHIVE),
            "rehearsal",
            SCRIPT,
            List.of(names.ownerRole(), SCRATCH));
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
