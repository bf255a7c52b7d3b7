package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One authorizer shared by many request threads decides each request on its own token. */
class ConcurrentAuthorizationTest {
  @Test
  void decisionsUnderContentionAreEachRight() throws Exception {
    JwtAuthorizer authorizer = Tokens.hmacAuthorizer().build();
    int threads = 8;
    int perThread = 300;
    List<String> tokens = new ArrayList<>();
    for (int user = 0; user < threads; user++) {
      tokens.add(Tokens.hs256(Tokens.claims("users/u" + user + "/**")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> wrong = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int user = t;
        wrong.add(
            pool.submit(
                () -> {
                  start.await();
                  int errors = 0;
                  for (int i = 0; i < perThread; i++) {
                    int other = (user + 1 + i % (threads - 1)) % threads;
                    String token = tokens.get(user);
                    boolean own =
                        authorizer
                            .authorize(Tokens.bearer(token, "users/u" + user + "/inbox"))
                            .isAllowed();
                    int foreign =
                        authorizer
                            .authorize(Tokens.bearer(token, "users/u" + other + "/inbox"))
                            .status();
                    errors += (own ? 0 : 1) + (foreign == 403 ? 0 : 1);
                  }
                  return errors;
                }));
      }
      start.countDown();
      for (Future<Integer> errors : wrong) {
        assertThat(errors.get(60, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
