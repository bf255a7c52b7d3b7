package org.ssekit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.ssekit.DeliveryLatencySink;

/**
 * The delivery latency {@link Timer}s of one hub, in every registry the binder was bound to: one
 * per registry, or one per registry and topic group when the application maps topics to groups.
 * Groups beyond {@code maxGroups} are recorded as {@link SseHubMetrics#OTHER_GROUP}, so that a
 * mapping that returns too many values cannot grow the registry without bound.
 *
 * <p><b>Thread safety:</b> thread-safe; {@link #record} runs on delivery and container threads.
 */
final class LatencyTimers implements DeliveryLatencySink {
  private final Tags tags;
  private final Function<String, String> groupOfTopic; // or null: no group tag
  private final int maxGroups;
  private final BiConsumer<MeterRegistry, Timer> registered;
  private final List<Bound> bound = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Boolean> groups = new ConcurrentHashMap<>();

  /** The timers of one registry, by group ("" without groups). */
  private record Bound(MeterRegistry registry, ConcurrentHashMap<String, Timer> timers) {}

  LatencyTimers(
      Tags tags,
      Function<String, String> groupOfTopic,
      int maxGroups,
      BiConsumer<MeterRegistry, Timer> registered) {
    this.tags = tags;
    this.groupOfTopic = groupOfTopic;
    this.maxGroups = maxGroups;
    this.registered = registered;
  }

  /** Records into {@code registry} from now on; without groups, registers its timer at once. */
  void bindTo(MeterRegistry registry) {
    Bound added = new Bound(registry, new ConcurrentHashMap<>());
    bound.add(added);
    if (groupOfTopic == null) {
      timer(added, "");
    }
  }

  @Override
  public void record(String topic, long latencyNanos) {
    String group = groupOfTopic == null ? "" : group(topic);
    for (Bound each : bound) {
      timer(each, group).record(latencyNanos, TimeUnit.NANOSECONDS);
    }
  }

  private String group(String topic) {
    String group = groupOfTopic.apply(topic);
    if (group == null || group.isEmpty()) {
      return SseHubMetrics.OTHER_GROUP;
    }
    if (groups.containsKey(group)) {
      return group;
    }
    // Racy by a few at most: the bound is a guard against a mapping gone wrong, not a quota.
    if (groups.size() >= maxGroups) {
      return SseHubMetrics.OTHER_GROUP;
    }
    groups.putIfAbsent(group, Boolean.TRUE);
    return group;
  }

  private Timer timer(Bound into, String group) {
    Timer timer = into.timers.get(group);
    if (timer == null) {
      timer = into.timers.computeIfAbsent(group, g -> register(into.registry, g));
    }
    return timer;
  }

  private Timer register(MeterRegistry registry, String group) {
    Timer timer =
        Timer.builder(SseHubMetrics.DELIVERY_LATENCY)
            .description(
                "Sampled time from the hub taking an event for fan-out to the completion of its"
                    + " write to one subscriber")
            .tags(group.isEmpty() ? tags : tags.and("group", group))
            .register(registry);
    registered.accept(registry, timer);
    return timer;
  }
}
