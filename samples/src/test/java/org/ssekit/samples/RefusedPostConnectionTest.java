package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A POST refused before its body was read (a bad room) must leave its keep-alive connection able to
 * carry the next request, or say {@code Connection: close}. Regression: Jetty answered the 400 and
 * then closed the connection without a word, and a client that reused it for its next POST saw that
 * request fail with no answer at all.
 */
class RefusedPostConnectionTest {
  private ChatServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void theConnectionOfARefusedPostCarriesTheNextRequest(ServerKind kind) throws Exception {
    server = ChatServer.start(ChatOptions.defaults().withPort(0).withServer(kind));
    try (Socket socket = new Socket("localhost", server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      write(out, head("/chat/messages?room=a.b", 5));
      // The body comes late, as it does from a client that sends the head first: the servlet has
      // long decided on its 400 by then.
      Thread.sleep(300);
      try {
        write(out, "hello");
      } catch (IOException closedAfterAnswering) {
        // Allowed if the answer said so: read on.
      }
      Answer refused = Answer.read(in);
      assertThat(refused.status).as(refused.toString()).isEqualTo(400);
      assertThat(refused.body).startsWith("room must be");
      if (refused.says("Connection: close")) {
        // Tomcat closes after every 400 and says so: the client opens a new connection.
        assertThat(in.read()).as("the connection ends as announced").isEqualTo(-1);
        return;
      }
      write(out, head("/chat/messages?room=lobby", 2) + "hi");
      Answer next = Answer.read(in);
      assertThat(next.status).as(next.toString()).isEqualTo(202);
    }
  }

  private static String head(String pathAndQuery, int contentLength) {
    return "POST "
        + pathAndQuery
        + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain; charset=UTF-8\r\n"
        + "Content-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** One HTTP/1.1 answer with a {@code Content-Length} body, read off a raw socket. */
  private record Answer(int status, String head, String body) {
    boolean says(String header) {
      return head.toLowerCase(Locale.ROOT)
          .contains("\r\n" + header.toLowerCase(Locale.ROOT) + "\r\n");
    }

    static Answer read(InputStream in) throws IOException {
      String head = readHead(in);
      assertThat(head).as("the answer's head (the connection ended without one?)").isNotEmpty();
      int status = Integer.parseInt(head.substring(9, 12));
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      for (int b; (b = in.read()) != -1; ) {
        head.write(b);
        byte[] sofar = head.toByteArray();
        int n = sofar.length;
        if (n >= 4
            && sofar[n - 4] == '\r'
            && sofar[n - 3] == '\n'
            && sofar[n - 2] == '\r'
            && sofar[n - 1] == '\n') {
          break;
        }
      }
      return head.toString(StandardCharsets.US_ASCII);
    }
  }
}
