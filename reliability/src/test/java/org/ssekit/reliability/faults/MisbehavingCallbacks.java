package org.ssekit.reliability.faults;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.CloseReason;
import org.ssekit.SseListener;
import org.ssekit.StreamRequest;
import org.ssekit.Subscription;
import org.ssekit.reliability.FeedServlet;

/**
 * An application's callbacks gone wrong, for chosen requests only: an {@link #authorizer()} that
 * throws for the user {@code thrower} and blocks for {@code blocker} (deciding as {@link
 * FeedServlet#PRIVATE_FEEDS} for everyone else), and {@linkplain #listener listeners} that throw or
 * block in {@code onOpen} or {@code onClose} when the request's {@code misbehave} parameter says
 * so. Blocked calls wait until {@link #release()} (at most a minute).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class MisbehavingCallbacks {
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger blocked = new AtomicInteger();

  /** Returns the authorizer. */
  Authorizer authorizer() {
    return this::authorize;
  }

  private Authorization authorize(StreamRequest request) {
    String user = request.principalName();
    if ("thrower".equals(user)) {
      throw new IllegalStateException("authorizer failure (test)");
    }
    if ("blocker".equals(user)) {
      block();
    }
    return FeedServlet.PRIVATE_FEEDS.authorize(request);
  }

  /** Returns the listener that the request's {@code misbehave} parameter asks for. */
  SseListener listener(HttpServletRequest request) {
    String misbehave = request.getParameter("misbehave");
    if (misbehave == null) {
      return SseListener.NONE;
    }
    return new SseListener() {
      @Override
      public void onOpen(Subscription subscription) {
        misbehave(misbehave, "open");
      }

      @Override
      public void onClose(Subscription subscription, CloseReason reason) {
        misbehave(misbehave, "close");
      }
    };
  }

  private void misbehave(String how, String when) {
    if (how.equals("throw-" + when)) {
      throw new IllegalStateException("listener failure in on" + when + " (test)");
    }
    if (how.equals("block-" + when)) {
      block();
    }
  }

  private void block() {
    blocked.incrementAndGet();
    try {
      released.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      blocked.decrementAndGet();
    }
  }

  /** Returns how many calls are blocked now. */
  int blocked() {
    return blocked.get();
  }

  /** Lets every blocked call return, and every later one return at once. */
  void release() {
    released.countDown();
  }
}
