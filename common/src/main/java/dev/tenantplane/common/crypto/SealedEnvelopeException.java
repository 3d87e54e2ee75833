package dev.tenantplane.common.crypto;

/** An envelope that cannot be opened: wrong key, wrong customer, or tampered with. */
public class SealedEnvelopeException extends RuntimeException {
  public SealedEnvelopeException(String message) {
    super(message);
  }
}
