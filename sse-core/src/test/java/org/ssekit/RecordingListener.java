package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link SseListener} that records its calls into a queue, read with a timeout, and checks the
 * listener contract: onOpen at most once, onClose exactly once and last, calls never overlapping.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RecordingListener implements SseListener {
  private static final long TIMEOUT_SECONDS = 10;

  /** One callback. {@code reason} is null for onOpen. */
  record Call(String kind, CloseReason reason, Subscription subscription) {}

  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final AtomicInteger opens = new AtomicInteger();
  private final AtomicInteger closes = new AtomicInteger();
  private final AtomicBoolean inCallback = new AtomicBoolean();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile Consumer<Subscription> onOpenAction = subscription -> {};
  private volatile RuntimeException throwFromOnOpen;
  private volatile RuntimeException throwFromOnClose;

  /** Runs {@code action} inside onOpen, after recording the call. */
  RecordingListener onOpenDo(Consumer<Subscription> action) {
    this.onOpenAction = action;
    return this;
  }

  /** Makes onOpen throw {@code e} after recording the call. */
  RecordingListener throwFromOnOpen(RuntimeException e) {
    this.throwFromOnOpen = e;
    return this;
  }

  /** Makes onClose throw {@code e} after recording the call. */
  RecordingListener throwFromOnClose(RuntimeException e) {
    this.throwFromOnClose = e;
    return this;
  }

  @Override
  public void onOpen(Subscription subscription) {
    enter("onOpen");
    try {
      if (opens.incrementAndGet() > 1) {
        violations.add("onOpen called more than once");
      }
      if (closes.get() > 0) {
        violations.add("onOpen called after onClose");
      }
      calls.add(new Call("open", null, subscription));
      onOpenAction.accept(subscription);
      if (throwFromOnOpen != null) {
        throw throwFromOnOpen;
      }
    } finally {
      inCallback.set(false);
    }
  }

  @Override
  public void onClose(Subscription subscription, CloseReason reason) {
    enter("onClose");
    try {
      if (closes.incrementAndGet() > 1) {
        violations.add("onClose called more than once, last with " + reason);
      }
      calls.add(new Call("close", reason, subscription));
      if (throwFromOnClose != null) {
        throw throwFromOnClose;
      }
    } finally {
      inCallback.set(false);
    }
  }

  private void enter(String method) {
    if (!inCallback.compareAndSet(false, true)) {
      violations.add(method + " overlaps another callback");
    }
  }

  /** Takes the next call, which must be onOpen. */
  Subscription takeOpen() throws InterruptedException {
    Call call = take();
    assertThat(call.kind()).as("next listener call").isEqualTo("open");
    return call.subscription();
  }

  /** Takes the next call, which must be onClose, and returns its reason. */
  CloseReason takeClose() throws InterruptedException {
    Call call = take();
    assertThat(call.kind()).as("next listener call").isEqualTo("close");
    return call.reason();
  }

  private Call take() throws InterruptedException {
    Call call = calls.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(call).as("a listener call within %s s", TIMEOUT_SECONDS).isNotNull();
    return call;
  }

  int openCount() {
    return opens.get();
  }

  int closeCount() {
    return closes.get();
  }

  /** Asserts that no call is left unread and the contract was kept. */
  void assertExhausted() {
    assertThat(calls).as("unread listener calls").isEmpty();
    assertContractKept();
  }

  /**
   * Asserts onOpen at most once, onClose at most once, never overlapping, nothing after onClose.
   */
  void assertContractKept() {
    assertThat(violations).as("listener contract violations").isEmpty();
  }
}
