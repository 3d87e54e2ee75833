package dev.tenantplane.nginx;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP to the test nginx with a chosen Host header (Java's HTTP client refuses one), in plain text
 * or over TLS with the host as the server name, the certificate chain checked against the given
 * trust and the host name checked against the certificate, as a browser would.
 */
final class NginxClient {
  record Response(int status, String head, String body) {
    /** A header's value (the first with that name), or null. */
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }
  }

  private final int port;
  private final SSLContext tls;

  NginxClient(String listen) {
    this(listen, null);
  }

  private NginxClient(String listen, SSLContext tls) {
    this.port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    this.tls = tls;
  }

  /**
   * A client that speaks TLS and trusts {@code certificatePem} alone (a server's certificate or a
   * CA's), or the JDK's CAs if null.
   */
  static NginxClient overTls(String listen, String certificatePem) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore store = null;
      if (certificatePem != null) {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry(
            "nginx",
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII))));
      }
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return new NginxClient(listen, context);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up the TLS client", e);
    }
  }

  Response get(String host, String path) {
    try (Socket socket = open(host)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      int bodyStart = response.indexOf("\r\n\r\n");
      return bodyStart < 0
          ? new Response(status, response, "")
          : new Response(
              status, response.substring(0, bodyStart), response.substring(bodyStart + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Socket open(String host) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(5000);
    if (tls == null) {
      return socket;
    }
    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
    SSLParameters parameters = secure.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(host)));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    secure.setSSLParameters(parameters);
    secure.startHandshake();
    return secure;
  }
}
