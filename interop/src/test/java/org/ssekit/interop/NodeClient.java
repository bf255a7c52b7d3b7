package org.ssekit.interop;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A Node.js {@code EventSource} (undici's, or the npm {@code eventsource} package's) run by a
 * shared {@link NodeRunner}. Events and errors are what the client's {@code EventSource}
 * dispatches; the ready state is its {@code readyState}. A token goes in an {@code Authorization:
 * Bearer} header that the client's per-request hook adds (see {@code node/runner.mjs}).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class NodeClient implements SseClient {
  private final ClientKind kind;
  private final NodeRunner runner;

  NodeClient(ClientKind kind, NodeRunner runner) {
    if (kind != ClientKind.UNDICI && kind != ClientKind.EVENTSOURCE_NPM) {
      throw new IllegalArgumentException("not a Node.js client: " + kind);
    }
    this.kind = kind;
    this.runner = runner;
  }

  @Override
  public ClientKind kind() {
    return kind;
  }

  @Override
  public String version() {
    return runner.version(kind.id());
  }

  @Override
  public ClientConnection open(String run, URI uri, Set<String> types, Credential credential) {
    NodeConnection connection = new NodeConnection(run);
    runner.open(
        kind.id(),
        run,
        uri.toString(),
        List.copyOf(types),
        credential == null ? null : credential.token(),
        connection);
    if (credential != null) {
      credential.onReplace(token -> runner.replaceToken(run, token));
    }
    return connection;
  }

  @Override
  public void close() {
    // The runner is shared by both Node.js clients; the suite closes it.
  }

  private final class NodeConnection extends ClientConnection {
    private final String run;

    NodeConnection(String run) {
      this.run = run;
    }

    @Override
    ReadyState readyState() throws Exception {
      return runner.readyState(run);
    }

    @Override
    public void close() {
      runner.close(run);
    }
  }
}
