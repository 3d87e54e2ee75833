package dev.tenantplane.nginx.apply;

/** What a command run inside the nginx container returned. */
public record ExecResult(long exitCode, String stdout, String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }

  /** The command's messages (stderr, else stdout), trimmed to what fits in an event. */
  public String message() {
    String text = stderr.isBlank() ? stdout : stderr;
    text = text.strip();
    return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
  }
}
