package org.ssekit.samples.boot;

import java.util.Objects;
import org.springframework.context.SmartLifecycle;
import org.ssekit.samples.ChatRooms;

/**
 * Tells the rooms that the application stops ({@link ChatRooms#shutDown}) before the starter closes
 * the hub: a post that fails then is answered {@code 503} with {@code Retry-After}, not {@code 410}
 * as for a closed room. Spring stops lifecycles of higher phases first; this one has the default
 * phase, the starter's hub lifecycle a lower one.
 *
 * <p><b>Thread safety:</b> called by Spring; {@code running} is volatile for {@link #isRunning}.
 */
final class RoomsShutdown implements SmartLifecycle {
  private final ChatRooms rooms;
  private volatile boolean running;

  RoomsShutdown(ChatRooms rooms) {
    this.rooms = Objects.requireNonNull(rooms, "rooms");
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    rooms.shutDown();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
