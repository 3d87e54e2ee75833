package dev.tenantplane.provisioner.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The generation rule: which events belong to a life of the id that ended. */
class WithdrawalsTest {

  @Test
  void noWithdrawalMakesNothingLate() {
    assertThat(Withdrawals.late(null, 1)).isFalse();
    assertThat(Withdrawals.withdrawalLate(null, null, 1)).isFalse();
  }

  @Test
  void anEventOfTheWithdrawnGenerationOrAnEarlierOneIsLate() {
    assertThat(Withdrawals.late(1, 1)).as("late event of the withdrawn life").isTrue();
    assertThat(Withdrawals.late(3, 2)).as("event of a life before the withdrawn one").isTrue();
  }

  @Test
  void anEventOfALaterGenerationIsNotLate() {
    assertThat(Withdrawals.late(1, 2)).as("the id provisioned again after a purge").isFalse();
  }

  @Test
  void aWithdrawalOfTheLifeTheAllocationServesIsNotLate() {
    assertThat(Withdrawals.withdrawalLate(null, 1, 1)).as("the first withdrawal").isFalse();
    assertThat(Withdrawals.withdrawalLate(1, 1, 1))
        .as("the purge of a customer archived by the same generation")
        .isFalse();
    assertThat(Withdrawals.withdrawalLate(1, 2, 2))
        .as("the withdrawal of a customer brought back")
        .isFalse();
    assertThat(Withdrawals.withdrawalLate(1, null, 2))
        .as("a life that never got an allocation")
        .isFalse();
  }

  @Test
  void aWithdrawalIsLateWhenALaterLifeBeganOrWasWithdrawn() {
    assertThat(Withdrawals.withdrawalLate(1, 2, 1))
        .as("a first-life withdrawal while the second life runs (brought back, or after a purge)")
        .isTrue();
    assertThat(Withdrawals.withdrawalLate(2, null, 1))
        .as("a first-life withdrawal after the second life was purged")
        .isTrue();
  }
}
