package dev.tenantplane.common.events;

/**
 * A customer's credentials encrypted with AES-GCM under the platform key, the customer id being the
 * associated data. Base64 fields; {@code keyId} names the platform key so keys can rotate.
 */
public record SealedEnvelope(String keyId, String nonce, String ciphertext) {}
