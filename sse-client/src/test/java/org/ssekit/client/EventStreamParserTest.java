package org.ssekit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure tests of the parser: bytes in, handler calls out, one corner of the standard each. */
class EventStreamParserTest {
  private final Recorder recorder = new Recorder();
  private final EventStreamParser parser = new EventStreamParser(recorder);

  // Line ends

  @Test
  void lfEndsLines() {
    assertThat(parse("data: a\n\n")).containsExactly(event("a"));
  }

  @Test
  void crEndsLines() {
    assertThat(parse("data: a\r\r")).containsExactly(event("a"));
  }

  @Test
  void crlfEndsLines() {
    assertThat(parse("data: a\r\n\r\n")).containsExactly(event("a"));
  }

  @Test
  void mixedLineEndsInOneStream() {
    assertThat(parse("data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\n\n"))
        .containsExactly(event("a\nb\nc"), event("d"));
  }

  @Test
  void crAtChunkEndFollowedByLfIsOneLineEnd() {
    assertThat(parse("data: a\r", "\ndata: b\r", "\n\r", "\n")).containsExactly(event("a\nb"));
  }

  @Test
  void crAtChunkEndSurvivesEmptyChunks() {
    assertThat(parse("data: a\r", "", "", "\ndata: b\n\n")).containsExactly(event("a\nb"));
  }

  @Test
  void crAtChunkEndFollowedByCrIsTwoLineEnds() {
    assertThat(parse("data: a\r", "\rdata: b\n\n")).containsExactly(event("a"), event("b"));
  }

  @Test
  void crAtChunkEndFollowedByTextEndsLine() {
    assertThat(parse("data: a\r", "data: b\r", "\r")).containsExactly(event("a\nb"));
  }

  @Test
  void lfAfterCrInSameChunkIsOneLineEnd() {
    assertThat(parse("data: a\r\ndata: b\r\n\r\n")).containsExactly(event("a\nb"));
  }

  @Test
  void lfThenCrIsTwoLineEnds() {
    assertThat(parse("data: a\n\rdata: b\n\n")).containsExactly(event("a"), event("b"));
  }

  // Data

  @Test
  void dataLinesAreJoinedWithLf() {
    assertThat(parse("data: a\ndata: b\ndata: c\n\n")).containsExactly(event("a\nb\nc"));
  }

  @Test
  void dataWithoutColonDispatchesEmptyData() {
    assertThat(parse("data\n\n")).containsExactly(event(""));
  }

  @Test
  void dataWithColonAndNoValueDispatchesEmptyData() {
    assertThat(parse("data:\n\n")).containsExactly(event(""));
  }

  @Test
  void emptyDataLinesKeepTheirLineBreaks() {
    assertThat(parse("data\ndata:\ndata: a\ndata\n\n")).containsExactly(event("\n\na\n"));
  }

  @Test
  void onlyOneTrailingLfIsRemovedFromData() {
    assertThat(parse("data: a\ndata:\ndata:\n\n")).containsExactly(event("a\n\n"));
  }

  @Test
  void blankLineWithoutDataDispatchesNothing() {
    assertThat(parse("\n\n\r\n\r")).isEmpty();
  }

  @Test
  void eventWithoutDataDispatchesNothingAndResetsType() {
    assertThat(parse("event: ping\n\ndata: a\n\n")).containsExactly(event("a"));
  }

  @Test
  void dataKeepsNulAndNonAsciiText() {
    assertThat(parse("data: a\u0000b \u00e9\u20ac\ud83d\ude00\n\n"))
        .containsExactly(event("a\u0000b \u00e9\u20ac\ud83d\ude00"));
  }

  @Test
  void dispatchesEveryEventOfOneChunkInOrder() {
    assertThat(parse("data: 1\n\ndata: 2\n\ndata: 3\n\n"))
        .containsExactly(event("1"), event("2"), event("3"));
  }

  // Field syntax

  @Test
  void oneLeadingSpaceIsRemovedFromValue() {
    assertThat(parse("data:  a\n\n")).containsExactly(event(" a"));
  }

  @Test
  void valueWithoutLeadingSpaceIsKept() {
    assertThat(parse("data:a\n\n")).containsExactly(event("a"));
  }

  @Test
  void trailingSpacesAndTabsAreKept() {
    assertThat(parse("data:\ta \n\n")).containsExactly(event("\ta "));
  }

  @Test
  void valueMayContainColons() {
    assertThat(parse("data: a: b:c\n\n")).containsExactly(event("a: b:c"));
  }

  @Test
  void fieldWithoutColonHasEmptyValue() {
    assertThat(parse("id: 1\ndata: a\n\nid\ndata: b\n\n"))
        .containsExactly(new Event("message", "a", "1"), event("b"));
  }

  @Test
  void unknownFieldsAreIgnored() {
    assertThat(parse("foo: bar\nevent-type: x\ndata2: y\nretry2: 5\ndata: a\n\n"))
        .containsExactly(event("a"));
  }

  @Test
  void fieldNamesAreCaseSensitive() {
    assertThat(parse("Data: a\nEVENT: x\nID: 1\nRetry: 5\n\n")).isEmpty();
  }

  @Test
  void spaceBeforeColonIsPartOfFieldName() {
    assertThat(parse("data : a\n\n")).isEmpty();
  }

  // Event type

  @Test
  void eventFieldSetsType() {
    assertThat(parse("event: update\ndata: a\n\n")).containsExactly(new Event("update", "a", ""));
  }

  @Test
  void emptyEventTypeIsMessage() {
    assertThat(parse("event: x\nevent:\ndata: a\n\n")).containsExactly(event("a"));
  }

  @Test
  void eventTypeIsResetAfterDispatch() {
    assertThat(parse("event: x\ndata: a\n\ndata: b\n\n"))
        .containsExactly(new Event("x", "a", ""), event("b"));
  }

  @Test
  void repeatedEventTypeIsReportedEachTime() {
    assertThat(parse("event: x\ndata: a\n\nevent: x\ndata: b\n\nevent: y\ndata: c\n\n"))
        .containsExactly(new Event("x", "a", ""), new Event("x", "b", ""), new Event("y", "c", ""));
  }

  @Test
  void lastEventTypeWins() {
    assertThat(parse("event: x\nevent: y\ndata: a\n\n")).containsExactly(new Event("y", "a", ""));
  }

  // Id

  @Test
  void idIsEmptyInitially() {
    assertThat(parse("data: a\n\n")).containsExactly(new Event("message", "a", ""));
    assertThat(parser.lastEventId()).isEmpty();
  }

  @Test
  void idPersistsAcrossEvents() {
    assertThat(parse("id: 1\ndata: a\n\ndata: b\n\n"))
        .containsExactly(new Event("message", "a", "1"), new Event("message", "b", "1"));
    assertThat(parser.lastEventId()).isEqualTo("1");
  }

  @Test
  void emptyIdResetsLastEventId() {
    assertThat(parse("id: 1\ndata: a\n\nid:\ndata: b\n\n"))
        .containsExactly(new Event("message", "a", "1"), event("b"));
    assertThat(parser.lastEventId()).isEmpty();
  }

  @Test
  void idWithNulIsIgnored() {
    assertThat(parse("id: 1\ndata: a\n\nid: 2\u0000\ndata: b\n\n"))
        .containsExactly(new Event("message", "a", "1"), new Event("message", "b", "1"));
  }

  @Test
  void idKeepsSpacesAndNonAsciiText() {
    assertThat(parse("id:  \u00e9 \ud83d\ude00\ndata: a\n\n"))
        .containsExactly(new Event("message", "a", " \u00e9 \ud83d\ude00"));
  }

  @Test
  void idTakesEffectAtBlankLineEvenWithoutData() {
    assertThat(parse("id: 7\n\n")).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("7");
  }

  @Test
  void idTakesEffectOnlyAtBlankLine() {
    feed(parser, "id: 1\n\nid: 2\n");
    assertThat(parser.lastEventId()).isEqualTo("1");
    feed(parser, "\n");
    assertThat(parser.lastEventId()).isEqualTo("2");
  }

  @Test
  void idOfUnterminatedEventIsDiscardedAtClose() {
    feed(parser, "id: 1\n\nid: 2\ndata: a\n");
    parser.close();
    assertThat(parser.lastEventId()).isEqualTo("1");
    assertThat(recorder.calls).isEmpty();
  }

  @Test
  void parserContinuingAStreamStartsFromItsLastEventId() {
    EventStreamParser continued = new EventStreamParser(recorder, 1024, "41");
    assertThat(continued.lastEventId()).isEqualTo("41");
    feed(continued, "data: a\n\nid: 42\ndata: b\n\ndata: c\n\n");
    assertThat(recorder.calls)
        .containsExactly(
            new Event("message", "a", "41"),
            new Event("message", "b", "42"),
            new Event("message", "c", "42"));
  }

  @Test
  void parserContinuingAStreamForgetsItsLastEventIdAtAnEmptyId() {
    EventStreamParser continued = new EventStreamParser(recorder, 1024, "41");
    feed(continued, "id\ndata: a\n\n");
    assertThat(recorder.calls).containsExactly(new Event("message", "a", ""));
    assertThat(continued.lastEventId()).isEmpty();
  }

  @Test
  void parserContinuingAStreamStillSkipsTheBomAtItsStart() {
    EventStreamParser continued = new EventStreamParser(recorder, 1024, "41");
    continued.feed(bytes(0xEF, 0xBB, 0xBF, ':', 'x', '\n'), 0, 6);
    assertThat(recorder.calls).containsExactly(new Comment("x"));
  }

  @Test
  void lastEventIdThatNoIdFieldCouldSetIsRejected() {
    assertThatThrownBy(() -> new EventStreamParser(recorder, 1024, "a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0a at 1 in lastEventId");
    assertThatThrownBy(() -> new EventStreamParser(recorder, 1024, "\r"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0d at 0 in lastEventId");
    assertThatThrownBy(() -> new EventStreamParser(recorder, 1024, "ab\0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x00 at 2 in lastEventId");
    assertThatThrownBy(() -> new EventStreamParser(recorder, 1024, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("lastEventId");
  }

  // Retry

  @Test
  void retryWithDigitsIsReportedAtOnce() {
    feed(parser, "retry: 1500\n");
    assertThat(recorder.calls).containsExactly(new Retry(1500));
  }

  @Test
  void retryWithLeadingZerosIsDecimal() {
    assertThat(parse("retry: 000000000000000000000000010\n")).containsExactly(new Retry(10));
  }

  @Test
  void retryOfZeroIsReported() {
    assertThat(parse("retry: 0\n")).containsExactly(new Retry(0));
  }

  @Test
  void retryWithNonDigitsIsIgnored() {
    assertThat(
            parse(
                "retry: 15s\nretry: -1\nretry: +1\nretry: 1.5\nretry: 1 \nretry:  1\n"
                    + "retry: 1e3\nretry: 1:0\nretry: 1/\nretry: 1A\nretry: \u0661\u0662\nretry: \uff11\n"))
        .isEmpty();
  }

  @Test
  void retryWithEmptyValueIsIgnored() {
    assertThat(parse("retry\nretry:\nretry: \n")).isEmpty();
  }

  @Test
  void retryTooLargeForLongIsIgnored() {
    assertThat(
            parse(
                "retry: 9223372036854775808\nretry: 99999999999999999999\n"
                    + "retry: 9223372036854775807\n"))
        .containsExactly(new Retry(Long.MAX_VALUE));
  }

  @Test
  void retryDoesNotDispatchOrResetAnything() {
    assertThat(parse("event: x\ndata: a\nretry: 5\ndata: b\n\n"))
        .containsExactly(new Retry(5), new Event("x", "a\nb", ""));
  }

  // Comments

  @Test
  void commentIsReportedWithoutOneLeadingSpace() {
    assertThat(parse(": hello\n:world\n:  two\n:\n: \n"))
        .containsExactly(
            new Comment("hello"),
            new Comment("world"),
            new Comment(" two"),
            new Comment(""),
            new Comment(""));
  }

  @Test
  void commentKeepsColonsAndNonAsciiText() {
    assertThat(parse(": a: \u00e9\ud83d\ude00\n"))
        .containsExactly(new Comment("a: \u00e9\ud83d\ude00"));
  }

  @Test
  void commentDoesNotInterruptEvent() {
    assertThat(parse("data: a\n: keep-alive\ndata: b\n\n"))
        .containsExactly(new Comment("keep-alive"), event("a\nb"));
  }

  // Byte order mark

  @Test
  void bomAtStartIsSkipped() {
    assertThat(parse("\ufeffdata: a\n\n")).containsExactly(event("a"));
  }

  @Test
  void bomSplitAcrossChunksIsSkipped() {
    assertThat(parseBytes(bytes(0xEF), bytes(0xBB), bytes(0xBF), utf8("data: a\n\n")))
        .containsExactly(event("a"));
  }

  @Test
  void bomAfterStartIsNotSkipped() {
    assertThat(parse("data: a\n\n\ufeffdata: b\n\n")).containsExactly(event("a"));
  }

  @Test
  void secondBomAtStartIsNotSkipped() {
    assertThat(parse("\ufeff\ufeffdata: a\n\n")).isEmpty();
  }

  @Test
  void bomInValueIsKept() {
    assertThat(parse("\ufeffdata: \ufeffa\n\n")).containsExactly(event("\ufeffa"));
  }

  @Test
  void partialBomAtStartIsDecodedNotSkipped() {
    assertThat(parseBytes(bytes(0xEF, 0xBB), utf8("data: a\n\n"))).isEmpty();
  }

  @Test
  void partialBomAtStartMakesCommentAField() {
    assertThat(parseBytes(bytes(0xEF), utf8(":x\n"))).isEmpty();
  }

  @Test
  void partialBomBeforeLineEndIsOneMalformedLine() {
    assertThat(parseBytes(bytes(0xEF), bytes(0xBB), utf8("\ndata: a\n\n")))
        .containsExactly(event("a"));
  }

  // UTF-8

  @Test
  void multiByteCharactersSplitAcrossChunksAreDecoded() {
    byte[] stream = utf8("event: \u00e9\ndata: \u00e9\u20ac\ud83d\ude00\nid: \u20ac\n\n");
    for (int split = 0; split <= stream.length; split++) {
      Recorder splitRecorder = new Recorder();
      EventStreamParser splitParser = new EventStreamParser(splitRecorder);
      splitParser.feed(stream, 0, split);
      splitParser.feed(stream, split, stream.length - split);
      assertThat(splitRecorder.calls)
          .as("split at %d", split)
          .containsExactly(new Event("\u00e9", "\u00e9\u20ac\ud83d\ude00", "\u20ac"));
    }
  }

  @Test
  void multiByteCharactersFedByteByByteAreDecoded() {
    byte[] stream = utf8("data: \u00e9\u20ac\ud83d\ude00\n\n");
    byte[][] chunks = new byte[stream.length][];
    for (int i = 0; i < stream.length; i++) {
      chunks[i] = new byte[] {stream[i]};
    }
    assertThat(parseBytes(chunks)).containsExactly(event("\u00e9\u20ac\ud83d\ude00"));
  }

  @Test
  void invalidUtf8IsReplaced() {
    assertThat(
            parseBytes(
                utf8("data: "),
                bytes(0xFF),
                utf8("a"),
                bytes(0xC3),
                utf8("b"),
                bytes(0x80),
                utf8("\n\n")))
        .containsExactly(event("\ufffda\ufffdb\ufffd"));
  }

  @Test
  void truncatedSequenceBeforeLineEndIsReplacedOnce() {
    assertThat(
            parseBytes(
                utf8("data: "),
                bytes(0xE2, 0x82),
                utf8("\ndata: "),
                bytes(0xF0, 0x9F, 0x98),
                utf8("\r\n\n")))
        .containsExactly(event("\ufffd\n\ufffd"));
  }

  @Test
  void truncatedSequenceSplitAcrossChunksIsReplacedOnce() {
    assertThat(parseBytes(utf8("data: "), bytes(0xE2), bytes(0x82), utf8("\n\n")))
        .containsExactly(event("\ufffd"));
  }

  @Test
  void overlongEncodingIsReplaced() {
    assertThat(parseBytes(utf8("data: "), bytes(0xC0, 0xAF), utf8("\n\n")))
        .containsExactly(event("\ufffd\ufffd"));
  }

  @Test
  void encodedSurrogateIsReplacedByteByByteAsBrowsersDo() {
    assertThat(
            parseBytes(
                utf8("data: "),
                bytes(0xED, 0xA0, 0x80),
                utf8("x"),
                bytes(0xED, 0xBF),
                utf8("\n\n")))
        .containsExactly(event("\ufffd\ufffd\ufffdx\ufffd\ufffd"));
  }

  @Test
  void invalidUtf8InCommentAndEventTypeIsReplaced() {
    assertThat(
            parseBytes(
                utf8(": "), bytes(0xFF), utf8("\nevent: "), bytes(0xFE), utf8("\ndata: a\n\n")))
        .containsExactly(new Comment("\ufffd"), new Event("\ufffd", "a", ""));
  }

  // End of stream

  @Test
  void unterminatedFinalEventIsDiscarded() {
    assertThat(parse("data: a\n\ndata: b\n")).containsExactly(event("a"));
  }

  @Test
  void unterminatedFinalLineIsDiscarded() {
    assertThat(parse("data: a\n\ndata: b\n\nretry: 5")).containsExactly(event("a"), event("b"));
  }

  @Test
  void feedAfterCloseThrows() {
    parser.close();
    assertThatThrownBy(() -> parser.feed(new byte[0], 0, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("[CLOSED]: feed after close; use a new parser for a new stream");
  }

  @Test
  void closeTwiceIsSafe() {
    parser.close();
    parser.close();
    assertThat(recorder.calls).isEmpty();
  }

  @Test
  void handlerMayCloseParserToStopParsing() {
    EventStreamParser stopping =
        new EventStreamParser(
            event -> {
              recorder.onEvent(event);
              recorder.parser.close();
            });
    recorder.parser = stopping;
    feed(stopping, "data: a\n\ndata: b\n\n");
    assertThat(recorder.calls).containsExactly(event("a"));
  }

  @Test
  void handlerMayCloseParserDuringDirectBufferFeed() {
    EventStreamParser stopping =
        new EventStreamParser(
            event -> {
              recorder.onEvent(event);
              recorder.parser.close();
            });
    recorder.parser = stopping;
    byte[] stream = utf8("data: a\n\ndata: " + "x".repeat(20_000) + "\n\n");
    ByteBuffer buffer = ByteBuffer.allocateDirect(stream.length).put(stream).flip();
    stopping.feed(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
    assertThat(recorder.calls).containsExactly(event("a"));
  }

  @Test
  void feedFromHandlerThrows() {
    EventStreamParser reentrant = new EventStreamParser(event -> feed(recorder.parser, "x"));
    recorder.parser = reentrant;
    assertThatThrownBy(() -> feed(reentrant, "data: a\n\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(": feed called from a handler");
  }

  @Test
  void handlerExceptionPropagatesAndFailsParser() {
    RuntimeException boom = new RuntimeException("boom");
    EventStreamParser failing =
        new EventStreamParser(
            event -> {
              throw boom;
            });
    assertThatThrownBy(() -> feed(failing, "data: a\n\n")).isSameAs(boom);
    assertThatThrownBy(() -> feed(failing, "data: b\n\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(
            "[FAILED]: an earlier feed failed; use a new parser for a new stream");
  }

  // Input methods

  @Test
  void feedReadsOnlyTheGivenRange() {
    byte[] bytes = utf8("xxdata: a\n\nxx");
    parser.feed(bytes, 2, bytes.length - 4);
    assertThat(recorder.calls).containsExactly(event("a"));
  }

  @Test
  void feedKeepsNoReferenceToTheArrayItParsed() {
    // The data line ends in one chunk and its event in the next; between them the caller reuses its
    // array, as a read loop does: the parser must have copied what it still needs (a parser that
    // decoded a lone data line from the chunk, tried on 2026-12-06, had to copy it when feed
    // returns).
    byte[] buffer = utf8("data: abc\n");
    parser.feed(buffer, 0, buffer.length);
    byte[] next = utf8(": overwritten\n\n");
    System.arraycopy(next, 0, buffer, 0, buffer.length);
    parser.feed(buffer, 0, buffer.length);
    parser.feed(next, buffer.length, next.length - buffer.length);
    assertThat(recorder.calls).containsExactly(new Comment("overwritten"), event("abc"));
  }

  @Test
  void feedDirectBuffersKeepsNoReferenceToItsTransferArray() {
    parser.feed(direct("data: abc\n"));
    parser.feed(direct(": overwritten\n\n"));
    assertThat(recorder.calls).containsExactly(new Comment("overwritten"), event("abc"));
  }

  @Test
  void feedRejectsRangeOutsideArray() {
    assertThatThrownBy(() -> parser.feed(new byte[4], 3, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void feedHeapByteBufferConsumesItsRemainingBytes() {
    ByteBuffer buffer = ByteBuffer.wrap(utf8("xxdata: a\n\nxx"), 2, 9).slice();
    parser.feed(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
    assertThat(recorder.calls).containsExactly(event("a"));
  }

  @Test
  void feedDirectByteBufferConsumesItsRemainingBytes() {
    byte[] stream = utf8("data: " + "\u00e9".repeat(10_000) + "\n\n");
    ByteBuffer buffer = ByteBuffer.allocateDirect(stream.length);
    buffer.put(stream).flip();
    parser.feed(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
    assertThat(recorder.calls).containsExactly(event("\u00e9".repeat(10_000)));
  }

  @Test
  void feedReadOnlyByteBufferConsumesItsRemainingBytes() {
    ByteBuffer buffer = ByteBuffer.wrap(utf8("data: a\n\n")).asReadOnlyBuffer();
    parser.feed(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
    assertThat(recorder.calls).containsExactly(event("a"));
  }

  // Limits

  @Test
  void lineOfMaxLineCharsIsAccepted() {
    EventStreamParser limited = new EventStreamParser(recorder, 8);
    feed(limited, "data: 12\n\n");
    assertThat(recorder.calls).containsExactly(event("12"));
  }

  @Test
  void lineLongerThanMaxLineCharsIsRefused() {
    EventStreamParser limited = new EventStreamParser(recorder, 8);
    assertThatThrownBy(() -> feed(limited, "data: 123\n\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("line length > maxLineChars: 8");
    assertThat(recorder.calls).isEmpty();
    assertThatThrownBy(() -> feed(limited, "\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(
            "[FAILED]: an earlier feed failed; use a new parser for a new stream");
  }

  @Test
  void lineSplitAcrossChunksLongerThanMaxLineCharsIsRefused() {
    EventStreamParser limited = new EventStreamParser(recorder, 8);
    feed(limited, "data");
    feed(limited, ": 12");
    assertThatThrownBy(() -> feed(limited, "3\n\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("line length > maxLineChars: 8");
  }

  @Test
  void maxLineCharsCountsCharsNotBytes() {
    EventStreamParser limited = new EventStreamParser(recorder, 8);
    feed(limited, "data: \u00e9");
    feed(limited, "\u00e9\n: \u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\n\n");
    assertThat(recorder.calls)
        .containsExactly(
            new Comment("\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac"), event("\u00e9\u00e9"));
  }

  @Test
  void endlessLineIsRefusedBeforeBufferingMoreThanThreeBytesPerChar() {
    EventStreamParser limited = new EventStreamParser(recorder, 8);
    byte[] a = {'a'};
    for (int i = 0; i < 24; i++) {
      limited.feed(a, 0, 1);
    }
    assertThatThrownBy(() -> limited.feed(a, 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("line length > maxLineChars: 8");
  }

  @Test
  void eventDataLongerThanMaxLineCharsIsRefused() {
    EventStreamParser limited = new EventStreamParser(recorder, 10);
    feed(limited, "data: 1234\ndata: 1234\n\n");
    feed(limited, "data: 1234\ndata: 1234\ndata: 1\n");
    assertThatThrownBy(() -> feed(limited, "\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("event data length > maxLineChars: 10");
    assertThat(recorder.calls).containsExactly(event("1234\n1234"));
  }

  @Test
  void endlessEventDataIsRefusedBeforeBufferingMoreThanThreeBytesPerChar() {
    EventStreamParser limited = new EventStreamParser(recorder, 10);
    for (int i = 0; i < 15; i++) {
      feed(limited, "data: 1\n");
    }
    assertThatThrownBy(() -> feed(limited, "data: 1\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("event data length > maxLineChars: 10");
  }

  @Test
  void maxLineCharsMustBePositive() {
    assertThatThrownBy(() -> new EventStreamParser(recorder, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLineChars <= 0: 0");
  }

  @Test
  void defaultMaxLineCharsAllowsLongLines() {
    String text = "x".repeat(1 << 20);
    assertThat(parse("data: " + text + "\n\n")).containsExactly(event(text));
  }

  @Test
  void nullHandlerIsRejected() {
    assertThatThrownBy(() -> new EventStreamParser(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("handler");
  }

  // Helpers

  private List<Object> parse(String... chunks) {
    byte[][] bytes = new byte[chunks.length][];
    for (int i = 0; i < chunks.length; i++) {
      bytes[i] = utf8(chunks[i]);
    }
    return parseBytes(bytes);
  }

  private List<Object> parseBytes(byte[]... chunks) {
    for (byte[] chunk : chunks) {
      parser.feed(chunk, 0, chunk.length);
    }
    parser.close();
    return recorder.calls;
  }

  private static void feed(EventStreamParser parser, String text) {
    byte[] bytes = utf8(text);
    parser.feed(bytes, 0, bytes.length);
  }

  private static Event event(String data) {
    return new Event("message", data, "");
  }

  private static ByteBuffer direct(String text) {
    byte[] bytes = utf8(text);
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
    buffer.put(bytes).flip();
    return buffer;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int value : values) {
      out.write(value);
    }
    return out.toByteArray();
  }

  /** A dispatched event, with all of its fields in {@code toString} for readable failures. */
  record Event(String type, String data, String lastEventId) {}

  record Retry(long millis) {}

  record Comment(String text) {}

  /** Records every handler call in order. */
  static final class Recorder implements EventStreamParser.Handler {
    final List<Object> calls = new ArrayList<>();
    EventStreamParser parser;

    @Override
    public void onEvent(ReceivedEvent event) {
      calls.add(new Event(event.type(), event.data(), event.lastEventId()));
    }

    @Override
    public void onRetry(long retryMillis) {
      calls.add(new Retry(retryMillis));
    }

    @Override
    public void onComment(String comment) {
      calls.add(new Comment(comment));
    }
  }
}
