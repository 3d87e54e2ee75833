package dev.tenantplane.gateway.auth;

import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantplane.gateway.GatewaySettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Token lifetimes are whole days, at least one, and the default is within the maximum. */
class TokenLifetimesTest {

  @Test
  void wholeDaysAreTheLifetimesRequestsAskFor() {
    assertThat(TokenLifetimes.of(settings(ofDays(90), ofDays(365))))
        .isEqualTo(new TokenLifetimes(90, 365));
    assertThat(TokenLifetimes.of(settings(ofHours(24), ofDays(7))))
        .isEqualTo(new TokenLifetimes(1, 7));
  }

  @Test
  void aLifetimeThatIsNotAWholeNumberOfDaysStopsTheStart() {
    assertThatThrownBy(() -> TokenLifetimes.of(settings(ofHours(36), ofDays(365))))
        .hasMessageContaining("tenantplane.gateway.tokens.default-lifetime");
    assertThatThrownBy(() -> TokenLifetimes.of(settings(ofDays(1), ofHours(12))))
        .hasMessageContaining("tenantplane.gateway.tokens.max-lifetime");
    assertThatThrownBy(() -> TokenLifetimes.of(settings(Duration.ZERO, ofDays(1))))
        .hasMessageContaining("at least 1d");
  }

  @Test
  void aDefaultAboveTheMaximumStopsTheStart() {
    assertThatThrownBy(() -> TokenLifetimes.of(settings(ofDays(30), ofDays(7))))
        .hasMessageContaining("must not exceed");
  }

  private static GatewaySettings.Tokens settings(Duration defaultLifetime, Duration maxLifetime) {
    return new GatewaySettings.Tokens() {
      @Override
      public Duration defaultLifetime() {
        return defaultLifetime;
      }

      @Override
      public Duration maxLifetime() {
        return maxLifetime;
      }
    };
  }
}
