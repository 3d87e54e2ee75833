package dev.tenantplane.common.events;

/** One file of a backup on the provisioner's host: its path, size and SHA-256 (hex). */
public record BackupFile(String path, long bytes, String sha256) {}
