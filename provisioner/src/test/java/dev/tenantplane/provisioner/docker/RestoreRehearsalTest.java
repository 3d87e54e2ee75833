package dev.tenantplane.provisioner.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.common.events.BackupCompleted.TableRows;
import dev.tenantplane.kit.StepException;
import org.junit.jupiter.api.Test;

class RestoreRehearsalTest {

  @Test
  void equalCountsGiveEachTablesRestoredRows() throws StepException {
    String report =
        String.join(
            "\n",
            "archive public.deals 12",
            "archive public.organizations 1",
            "restored public.organizations 1",
            "restored public.deals 12",
            "");

    assertThat(RestoreRehearsal.compare("acme", report, "step=backup"))
        .containsExactly(
            new TableRows("public.deals", 12), new TableRows("public.organizations", 1));
  }

  @Test
  void aTableWithFewerRowsOrMissingFailsNamingItAndIsNotRetried() {
    String report =
        String.join(
            "\n",
            "archive public.deals 12",
            "archive public.notes 3",
            "restored public.deals 11",
            "");

    assertThatThrownBy(() -> RestoreRehearsal.compare("acme", report, "step=backup"))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("public.deals: 12 in the archive, 11 restored")
        .hasMessageContaining("public.notes: 3 in the archive, no table restored");
  }

  @Test
  void anArchiveWithoutTableDataIsNoProof() {
    assertThatThrownBy(() -> RestoreRehearsal.compare("acme", "restored public.deals 0\n", "x"))
        .hasMessageContaining("the archive holds no table data");
  }
}
