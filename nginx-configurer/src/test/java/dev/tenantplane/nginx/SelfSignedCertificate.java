package dev.tenantplane.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;

/** A throw-away certificate for localhost and *.localhost, made with the JDK's keytool. */
record SelfSignedCertificate(String certificatePem, String privateKeyPem) {
  private static final char[] PASSWORD = "test-only".toCharArray();

  static SelfSignedCertificate forLocalhost() {
    try {
      Path dir = Files.createTempDirectory("tenantplane-tls");
      Path store = dir.resolve("tls.p12");
      Process keytool =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "tls",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "SAN=dns:localhost,dns:*.localhost",
                  "-validity",
                  "7",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  new String(PASSWORD))
              .redirectErrorStream(true)
              .start();
      String output = new String(keytool.getInputStream().readAllBytes());
      if (keytool.waitFor() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, PASSWORD);
      }
      String certificate = pem("CERTIFICATE", keyStore.getCertificate("tls").getEncoded());
      String key = pem("PRIVATE KEY", keyStore.getKey("tls", PASSWORD).getEncoded());
      Files.delete(store);
      Files.delete(dir);
      return new SelfSignedCertificate(certificate, key);
    } catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
