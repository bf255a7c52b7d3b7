package org.ssekit.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every scenario with every client against each server path of {@link ServerPaths} in turn
 * (the HTTP/2 columns: the subset {@link Scenarios#OVER_H2}, on the path's TLS connector), records
 * the cells in the {@link Matrix} and fails on any unexpected result: a failure that is no known
 * client deviation, a known deviation that fails differently, or one that no longer happens.
 *
 * <p>Each server path starts once, on an ephemeral port; for it, each client starts once (one
 * Chromium, one Node.js process) and serves every scenario in turn. A client that cannot run on
 * this machine (no Chromium, no Node.js) is skipped with the reason, unless the environment
 * variable {@code CI} is {@code true}: there it fails.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ServerPaths.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropTest {
  private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
  private static final String OFFERS_NOT_APPLICABLE =
      "the scenario needs an event without an id, or with an id"
          + " the application chooses; this path's public API sends only events published to a topic, whose log"
          + " assigns every id";

  private final Matrix matrix = Matrix.INSTANCE;
  private final Map<ClientKind, SseClient> clients = new EnumMap<>(ClientKind.class);
  private final Map<ClientKind, String> unavailable = new EnumMap<>(ClientKind.class);

  /** The server path of this invocation; one instance serves every path in turn. */
  @Parameter private ServerPaths paths;

  private ServerPath path;
  private URI base;
  private URI tlsBase;
  private NodeRunner nodeRunner;
  private ClientUnavailableException nodeUnavailable;
  private long startNanos;

  @BeforeParameterizedClassInvocation(injectArguments = false)
  void start() throws Exception {
    // One instance serves every path in turn: nothing of the previous path's run is kept.
    clients.clear();
    unavailable.clear();
    nodeRunner = null;
    nodeUnavailable = null;
    startNanos = System.nanoTime();
    path = paths.create();
    base = path.start();
    tlsBase = path.tlsBase();
    matrix.path(path.id(), path.displayName());
    Set<String> clientIds = selection("ssekit.interop.clients");
    for (ClientKind kind : ClientKind.values()) {
      if (!clientIds.isEmpty() && !clientIds.contains(kind.id())) {
        continue;
      }
      try {
        SseClient client = startClient(kind);
        clients.put(kind, client);
        matrix.clientVersion(kind.client(), client.version());
      } catch (ClientUnavailableException e) {
        unavailable.put(kind, e.getMessage());
        System.out.println(
            "[" + path.id() + "] " + kind.id() + " cannot run here: " + e.getMessage());
      }
    }
  }

  /**
   * One container per client, one test per scenario. The system properties {@code
   * ssekit.interop.clients} and {@code ssekit.interop.scenarios} (comma-separated ids) narrow a
   * developer's run; the matrix then shows the rest as not run.
   */
  @TestFactory
  Stream<DynamicContainer> scenarios() {
    Set<String> clientIds = selection("ssekit.interop.clients");
    Set<String> scenarioIds = selection("ssekit.interop.scenarios");
    List<DynamicContainer> containers = new ArrayList<>();
    for (ClientKind kind : ClientKind.values()) {
      if (clientIds.isEmpty() || clientIds.contains(kind.id())) {
        containers.add(
            dynamicContainer(
                kind.id(),
                Scenarios.all().stream()
                    .filter(kind::runs)
                    .filter(
                        scenario -> scenarioIds.isEmpty() || scenarioIds.contains(scenario.id()))
                    .map(scenario -> dynamicTest(scenario.id(), () -> runCell(kind, scenario)))));
      }
    }
    return containers.stream();
  }

  private static Set<String> selection(String property) {
    String value = System.getProperty(property, "").trim();
    return value.isEmpty() ? Set.of() : Set.of(value.split("\\s*,\\s*"));
  }

  @AfterParameterizedClassInvocation(injectArguments = false)
  void stop() throws Exception {
    try {
      for (SseClient client : clients.values()) {
        client.close();
      }
      if (nodeRunner != null) {
        nodeRunner.close();
      }
      if (path != null) {
        // Every client closed its connections: the hub must let go of every subscriber.
        Awaitility.await("subscribers of " + path.id() + " after every client closed")
            .atMost(Duration.ofSeconds(5))
            .until(() -> path.hub().stats().subscribers() == 0);
      }
    } finally {
      if (path != null) {
        path.close();
        matrix.pathDuration(path.id(), Duration.ofNanos(System.nanoTime() - startNanos));
      }
      Path output = Path.of(System.getProperty("ssekit.interop.outputDir", "target"), "matrix.md");
      matrix.write(output);
      System.out.println(
          "[" + (path == null ? "?" : path.id()) + "] wrote " + output.toAbsolutePath());
      // Surefire runs in the module's directory: README.md is interop/README.md.
      Path readme = Path.of(System.getProperty("ssekit.interop.readme", "README.md"));
      if (matrix.writeSection(readme)) {
        System.out.println("wrote the matrix section of " + readme.toAbsolutePath());
      }
    }
  }

  private void runCell(ClientKind kind, Scenario scenario) throws Exception {
    if (scenario.needsOffers() && path.offers() == null) {
      matrix.record(
          path.id(),
          kind,
          scenario.id(),
          new Matrix.Cell(
              Matrix.Status.NOT_APPLICABLE,
              "`id-persists` and `id-reset` on "
                  + path.displayName()
                  + ": "
                  + OFFERS_NOT_APPLICABLE));
      Assumptions.abort("not applicable on " + path.id() + ": " + OFFERS_NOT_APPLICABLE);
    }
    SseClient client = clients.get(kind);
    if (client == null) {
      String reason = unavailable.get(kind);
      matrix.record(
          path.id(),
          kind,
          scenario.id(),
          new Matrix.Cell(Matrix.Status.SKIPPED, kind.displayName() + ": " + reason));
      if (CI) {
        fail(kind.displayName() + " cannot run, and CI=true requires every client: " + reason);
      }
      Assumptions.abort(kind.displayName() + " cannot run here: " + reason);
    }
    Outcome outcome = new ScenarioRun(path, kind.overH2() ? tlsBase : base, client, scenario).run();
    String cellName =
        "["
            + path.id()
            + "] "
            + kind.id()
            + " "
            + scenario.id()
            + (outcome.notes().isEmpty() ? "" : " " + outcome.notes());
    Optional<KnownDeviation> known = KnownDeviations.find(kind.client(), scenario.id());
    if (known.isEmpty()) {
      record(kind, scenario, outcome.passed() ? Matrix.Status.PASS : Matrix.Status.FAIL, null);
      System.out.println(
          cellName
              + ": "
              + (outcome.passed() ? "pass" : "FAIL")
              + " ("
              + outcome.elapsed().toMillis()
              + " ms)"
              + (outcome.passed() ? "" : "\n" + outcome.describe()));
      if (!outcome.passed()) {
        fail(
            kind.displayName()
                + " in "
                + scenario.id()
                + " on "
                + path.displayName()
                + " differs from the standard:\n"
                + outcome.describe());
      }
      return;
    }
    KnownDeviation deviation = known.get();
    if (outcome.passed()) {
      record(kind, scenario, Matrix.Status.DEVIATION_GONE, deviation.key());
      System.out.println(cellName + ": known deviation " + deviation.key() + " gone");
      fail(
          "known deviation "
              + deviation.key()
              + " of "
              + kind.displayName()
              + " in "
              + scenario.id()
              + " no longer happens: remove it from KnownDeviations (the matrix then shows a pass)");
    }
    List<String> unexplained = new ArrayList<>();
    for (String problem : outcome.problems()) {
      if (!deviation.explains(problem)) {
        unexplained.add(problem);
      }
    }
    if (!unexplained.isEmpty()) {
      record(kind, scenario, Matrix.Status.FAIL, null);
      System.out.println(
          cellName
              + ": FAIL beyond known deviation "
              + deviation.key()
              + "\n"
              + outcome.describe());
      fail(
          kind.displayName()
              + " in "
              + scenario.id()
              + " fails, and not only as known deviation "
              + deviation.key()
              + " "
              + deviation.symptoms()
              + ":\n"
              + outcome.describe());
    }
    record(kind, scenario, Matrix.Status.DEVIATION, deviation.key());
    System.out.println(
        cellName
            + ": known deviation "
            + deviation.key()
            + " ("
            + outcome.elapsed().toMillis()
            + " ms)");
  }

  private void record(ClientKind kind, Scenario scenario, Matrix.Status status, String note) {
    matrix.record(path.id(), kind, scenario.id(), new Matrix.Cell(status, note));
  }

  private SseClient startClient(ClientKind kind) throws Exception {
    switch (kind) {
      case CHROMIUM:
        return ChromiumClient.start(kind, base.resolve("/page.html"));
      case JERSEY:
        return new JerseyClient();
      case OKHTTP_EVENTSOURCE:
        return new OkHttpEventSourceClient();
      case UNDICI:
      case EVENTSOURCE_NPM:
        return new NodeClient(kind, nodeRunner());
      case SSEKIT_CLIENT:
        return new SsekitEventSourceClient();
      case REFERENCE:
        return new ReferenceClient();
      case CHROMIUM_H2:
        return ChromiumClient.start(kind, tlsBase.resolve("/page.html"));
      case OKHTTP_EVENTSOURCE_H2:
        return new OkHttpEventSourceClient(TlsCertificate.shared());
      case SSEKIT_CLIENT_H2:
        return new SsekitEventSourceClient(TlsCertificate.shared());
      case REFERENCE_H2:
        return new ReferenceClient(TlsCertificate.shared());
      default:
        throw new IllegalArgumentException("unknown client " + kind);
    }
  }

  private NodeRunner nodeRunner() throws ClientUnavailableException, InterruptedException {
    if (nodeUnavailable != null) {
      throw nodeUnavailable;
    }
    if (nodeRunner == null) {
      try {
        nodeRunner =
            NodeRunner.start(Path.of(System.getProperty("ssekit.interop.nodeDir", "node")));
      } catch (ClientUnavailableException e) {
        nodeUnavailable = e;
        throw e;
      }
    }
    return nodeRunner;
  }
}
