package org.ssekit.samples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what clients send to the chat, the same way for the servlet and the JAX-RS endpoints: room
 * names, and message bodies (content type, size and encoding). Each check throws a {@link
 * ChatRequestException} with the status and reason to answer. Public for samples-spring-boot, whose
 * controller checks the same input with it.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class ChatInput {
  /** The largest message body accepted, in bytes: 64 KiB. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** The most rooms one stream may carry. */
  public static final int MAX_ROOMS_PER_STREAM = 16;

  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The most of an invalid value echoed in a reason. */
  private static final int MAX_ECHOED_CHARS = 80;

  /** How much of a too-large body is read and discarded so that the client gets a clean answer. */
  private static final long MAX_DRAINED_BYTES = 1L << 20;

  private ChatInput() {}

  /**
   * Returns {@code room} if it is a valid room name: 1-64 characters of {@code [A-Za-z0-9_-]}.
   *
   * @param room the {@code room} query parameter, or null if absent
   * @throws ChatRequestException with 400 if it is absent or invalid
   */
  public static String room(String room) {
    if (room == null) {
      throw new ChatRequestException(400, "missing query parameter: room");
    }
    if (!ROOM.matcher(room).matches()) {
      throw new ChatRequestException(
          400, "room must be 1-64 chars of [A-Za-z0-9_-]: " + echo(room));
    }
    return room;
  }

  /**
   * Returns whether a stream carries the user's inbox too: the {@code inbox} query parameter is
   * {@code 1}; absent or {@code 0} for not.
   *
   * @throws ChatRequestException with 400 for another value
   */
  public static boolean inbox(String inbox) {
    return flag("inbox", inbox);
  }

  /**
   * Returns whether a stream carries the presence events of its rooms too: the {@code presence}
   * query parameter is {@code 1}; absent or {@code 0} for not.
   *
   * @throws ChatRequestException with 400 for another value
   */
  public static boolean presence(String presence) {
    return flag("presence", presence);
  }

  private static boolean flag(String name, String value) {
    if (value == null || value.equals("0")) {
      return false;
    }
    if (value.equals("1")) {
      return true;
    }
    throw new ChatRequestException(400, name + " must be 0 or 1: " + echo(value));
  }

  /**
   * Returns the distinct rooms of a stream, in the order first named: 1-{@value
   * #MAX_ROOMS_PER_STREAM} valid room names ({@link #room}). A room named twice counts once.
   *
   * @param rooms the values of the repeated {@code room} query parameter, or null if absent
   * @throws ChatRequestException with 400 if there is none, more than {@value
   *     #MAX_ROOMS_PER_STREAM}, or an invalid one among them
   */
  public static List<String> rooms(Collection<String> rooms) {
    if (rooms == null || rooms.isEmpty()) {
      throw new ChatRequestException(400, "missing query parameter: room");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String room : rooms) {
      distinct.add(room(room));
    }
    if (distinct.size() > MAX_ROOMS_PER_STREAM) {
      throw new ChatRequestException(
          400, "rooms must be at most " + MAX_ROOMS_PER_STREAM + " per stream: " + distinct.size());
    }
    return List.copyOf(distinct);
  }

  /**
   * Reads a message body: {@code text/plain} in UTF-8 (the charset parameter may be absent), at
   * most {@link #MAX_MESSAGE_BYTES} bytes.
   *
   * @param contentType the request's {@code Content-Type}, or null if absent
   * @param contentLength the request's {@code Content-Length}, or -1 if unknown
   * @param body the request body
   * @return the message exactly as sent, line ends included
   * @throws ChatRequestException with 415 for another content type or charset, 413 for a larger
   *     body and 400 for a body that is not UTF-8
   * @throws IOException if reading the body fails
   */
  public static String message(String contentType, long contentLength, InputStream body)
      throws IOException {
    requirePlainTextUtf8(contentType);
    if (contentLength > MAX_MESSAGE_BYTES) {
      drain(body);
      throw tooLarge();
    }
    byte[] bytes = body.readNBytes(MAX_MESSAGE_BYTES + 1);
    if (bytes.length > MAX_MESSAGE_BYTES) {
      drain(body);
      throw tooLarge();
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ChatRequestException(400, "message is not valid UTF-8", e);
    }
  }

  private static void requirePlainTextUtf8(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      throw new ChatRequestException(415, "content type must be text/plain; charset=UTF-8: none");
    }
    String[] parts = contentType.split(";");
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("text/plain")) {
      throw new ChatRequestException(415, "content type must be text/plain: " + echo(contentType));
    }
    for (String parameter : Arrays.asList(parts).subList(1, parts.length)) {
      int equals = parameter.indexOf('=');
      if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
        continue;
      }
      String charset = parameter.substring(equals + 1).trim();
      if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
        charset = charset.substring(1, charset.length() - 1);
      }
      if (!charset.equalsIgnoreCase("UTF-8")) {
        throw new ChatRequestException(415, "charset must be UTF-8: " + echo(charset));
      }
    }
  }

  private static ChatRequestException tooLarge() {
    return new ChatRequestException(413, "message larger than " + MAX_MESSAGE_BYTES + " bytes");
  }

  /**
   * Reads and discards a bounded part ({@value #MAX_DRAINED_BYTES} bytes) of the rest of the body,
   * so the connection can answer cleanly and carry the client's next request.
   *
   * @return true if the body was read to its end; false if it was longer or reading it failed
   */
  static boolean drain(InputStream body) {
    try {
      long drained = 0;
      byte[] buffer = new byte[8192];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        drained += n;
        if (drained > MAX_DRAINED_BYTES) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      // The client went away or the container refused more: the answer is the same.
      return false;
    }
  }

  /** Returns {@code value} shortened and with control characters escaped, for a reason. */
  public static String echo(String value) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(value.length(), MAX_ECHOED_CHARS);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > end) {
      out.append("...");
    }
    return out.toString();
  }
}
