package dev.tenantplane.provisioner.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The generation rule: which events belong to a life of the id that ended. */
class WithdrawalsTest {

  @Test
  void noWithdrawalMakesNothingLate() {
    assertThat(Withdrawals.late(null, 1)).isFalse();
    assertThat(Withdrawals.laterLifeWithdrawn(null, 1)).isFalse();
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
  void aWithdrawalIsLateOnlyWhenALaterLifeWasWithdrawn() {
    assertThat(Withdrawals.laterLifeWithdrawn(1, 1))
        .as("the purge of a customer archived by the same generation")
        .isFalse();
    assertThat(Withdrawals.laterLifeWithdrawn(1, 2)).isFalse();
    assertThat(Withdrawals.laterLifeWithdrawn(2, 1))
        .as("a withdrawal of the first life after the second one was withdrawn")
        .isTrue();
  }
}
