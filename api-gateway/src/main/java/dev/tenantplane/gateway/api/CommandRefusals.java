package dev.tenantplane.gateway.api;

import dev.tenantplane.gateway.customers.CustomerCommands.Outcome;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** A command's refusal as the problem the API answers with. */
final class CommandRefusals {
  private CommandRefusals() {}

  /** Returns when the command was accepted; otherwise throws its 404, 409 or 400. */
  static void requireAccepted(Outcome outcome) {
    switch (outcome.result()) {
      case NOT_FOUND ->
          throw new ProblemException(Problem.of(Response.Status.NOT_FOUND, outcome.detail()));
      case CONFLICT ->
          throw new ProblemException(Problem.of(Response.Status.CONFLICT, outcome.detail()));
      case PORT_HELD ->
          throw new ProblemException(
              Problem.invalid(List.of(new Problem.FieldError("port", outcome.detail()))));
      case ACCEPTED -> {}
    }
  }
}
