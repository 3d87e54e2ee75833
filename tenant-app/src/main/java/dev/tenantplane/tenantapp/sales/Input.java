package dev.tenantplane.tenantapp.sales;

import jakarta.ws.rs.BadRequestException;
import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks on request bodies, done before anything reaches the database. */
final class Input {
  static final Set<String> STAGES = Set.of("lead", "qualified", "proposal", "won", "lost");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

  private Input() {}

  static String text(String value, String field, int max) {
    if (value == null || value.isBlank() || value.length() > max) {
      throw new BadRequestException(field + " is required, at most " + max + " characters");
    }
    return value.strip();
  }

  static String optionalText(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return text(value, field, max);
  }

  static String optionalEmail(String value) {
    String email = optionalText(value, "email", 320);
    if (email != null && !EMAIL.matcher(email).matches()) {
      throw new BadRequestException("email is not an e-mail address");
    }
    return email;
  }

  static BigDecimal amount(BigDecimal value) {
    BigDecimal amount = value == null ? BigDecimal.ZERO : value;
    if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0 || amount.scale() > 2) {
      throw new BadRequestException("amount must be between 0 and " + MAX_AMOUNT + ", 2 decimals");
    }
    return amount;
  }

  static String stage(String value) {
    String stage = value == null ? "lead" : value;
    if (!STAGES.contains(stage)) {
      throw new BadRequestException("stage must be one of " + STAGES);
    }
    return stage;
  }
}
