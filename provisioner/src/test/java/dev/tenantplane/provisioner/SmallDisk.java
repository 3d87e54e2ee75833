package dev.tenantplane.provisioner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted over a folder for a test that needs a disk that runs out of space; it needs
 * root, as the test command runs. Closing it unmounts it, and what was written to it is gone.
 */
public final class SmallDisk implements AutoCloseable {
  public static final String FILLER = "filler";

  private final Path root;

  private SmallDisk(Path root) {
    this.root = root;
  }

  /** Mounts a tmpfs of {@code size} (e.g. {@code 64k}) over {@code folder}, made if missing. */
  public static SmallDisk mount(Path folder, String size) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    run(
        List.of(
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=" + size + ",mode=0700",
            "tmpfs",
            folder.toString()));
    return new SmallDisk(folder);
  }

  /** Writes {@value #FILLER} until the disk refuses another byte. */
  public void fill() throws IOException {
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(root.resolve(FILLER))) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left")) {
        throw full;
      }
    }
  }

  /** Deletes {@value #FILLER}, which gives the disk its space back. */
  public void free() throws IOException {
    Files.deleteIfExists(root.resolve(FILLER));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run(List.of("umount", root.toString()));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      String output = new String(process.getInputStream().readAllBytes());
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed (root is needed): " + output);
    }
  }
}
