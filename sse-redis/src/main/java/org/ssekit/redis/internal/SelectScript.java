package org.ssekit.redis.internal;

/**
 * The script that looks up a selection's replay on the log's index stream, in one atomic step: the
 * newest index entry (the replay's head), the exact topics that are closed, and the events to
 * replay. The selection is matched in the script, by the rule of {@link
 * org.ssekit.internal.TopicNames#matches} ({@code *} one segment, {@code **} last, any number of
 * trailing segments, none included), so that only matching events cross the network;
 * SelectionPropertiesTest checks, with random selectors, that both agree.
 *
 * <p>KEYS: the index stream and the log's loss mark ({@link Scripts#LOSS_MARK}). ARGV: mode ({@code
 * head}, {@code after} or {@code retained}), the presented entry id and epoch (for {@code after}),
 * the scan limit, the retention's maximum event count, the key prefix, the number of exact topics,
 * the exact topics, then the selectors. Returns {@code {head, headEpoch, nowMs, kind, events,
 * closedExact}}: the newest index entry's id and epoch (false if the index is empty), Redis' clock,
 * {@code known} or {@code unknown}, the events as {@code {id, topic, epoch, {field, value, ...}}},
 * and the exact topics that are closed.
 *
 * <ul>
 *   <li>{@code after}: the presented id is known if the index still holds it with its epoch, and
 *       holds at most {@code limit} entries after it. The events are then the matching ones after
 *       it, in the log's order, except those of incarnations that are closed (an id older than the
 *       loss mark is unknown); an event of an incarnation that is gone (expired, or replaced) makes
 *       the id unknown, as it was lost.
 *   <li>{@code retained} (and {@code after} when the id is unknown): the newest {@code max + 1}
 *       entries of every matching topic that is open: the exact topics, and the topics of the
 *       newest {@code limit} index entries that a selector matches. The caller applies the
 *       retention to each.
 * </ul>
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class SelectScript {
  static final Scripts.Script SELECT =
      new Scripts.Script(
          "select",
          Scripts.LOSS_MARK
              + """
      local prefix = ARGV[6]
      local exactCount = tonumber(ARGV[7])
      local exact, exactList, selectors = {}, {}, {}
      for i = 8, 7 + exactCount do
        exact[ARGV[i]] = true
        exactList[#exactList + 1] = ARGV[i]
      end
      for i = 8 + exactCount, #ARGV do
        local segments = {}
        for segment in string.gmatch(ARGV[i], '[^/]+') do
          segments[#segments + 1] = segment
        end
        selectors[#selectors + 1] = segments
      end
      local function selected(topic, segments)
        local n = #topic
        local pos = 1
        for i = 1, #segments do
          local segment = segments[i]
          if segment == '**' then
            return true
          end
          if pos > n + 1 then
            return false
          end
          local stop = string.find(topic, '/', pos, true) or (n + 1)
          if segment ~= '*' and string.sub(topic, pos, stop - 1) ~= segment then
            return false
          end
          pos = stop + 1
        end
        return pos == n + 2
      end
      local function matches(topic)
        if exact[topic] then
          return true
        end
        for i = 1, #selectors do
          if selected(topic, selectors[i]) then
            return true
          end
        end
        return false
      end
      local function field(flat, name)
        for i = 1, #flat, 2 do
          if flat[i] == name then
            return flat[i + 1]
          end
        end
        return false
      end
      local metas = {}
      local function meta(topic)
        local m = metas[topic]
        if not m then
          m = redis.call('HMGET', prefix .. '{' .. topic .. '}:m', 'epoch', 'closed')
          metas[topic] = m
        end
        return m
      end
      local closedExact = {}
      for _, topic in ipairs(exactList) do
        if meta(topic)[2] then
          closedExact[#closedExact + 1] = topic
        end
      end
      local head, headEpoch = false, false
      local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
      if newest[1] then
        head = newest[1][1]
        headEpoch = field(newest[1][2], 'e')
      end
      local t = redis.call('TIME')
      local now = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
      local mode = ARGV[1]
      if mode == 'head' then
        return {head, headEpoch, now, 'known', {}, closedExact}
      end
      local limit = tonumber(ARGV[4])
      if mode == 'after' then
        local at = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
        if at[1] and field(at[1][2], 'e') == ARGV[3] and not field(at[1][2], 'closed')
            and not preLoss(KEYS[2], ARGV[2]) then
          local after = redis.call('XRANGE', KEYS[1], '(' .. ARGV[2], '+', 'COUNT', limit + 1)
          if #after <= limit then
            local closedAway = {}
            for _, entry in ipairs(after) do
              local topic = field(entry[2], 'k')
              if topic and field(entry[2], 'closed') then
                closedAway[topic] = closedAway[topic] or {}
                closedAway[topic][field(entry[2], 'e')] = true
              end
            end
            local events, known = {}, true
            for _, entry in ipairs(after) do
              local f = entry[2]
              local topic, epoch = field(f, 'k'), field(f, 'e')
              if topic and epoch and not field(f, 'closed') and matches(topic)
                  and not (closedAway[topic] and closedAway[topic][epoch]) then
                local m = meta(topic)
                if m[1] ~= epoch then
                  known = false
                  break
                end
                if not m[2] then
                  events[#events + 1] = {entry[1], topic, epoch, f}
                end
              end
            end
            if known then
              return {head, headEpoch, now, 'known', events, closedExact}
            end
          end
        end
      end
      local topics, listed = {}, {}
      for _, topic in ipairs(exactList) do
        listed[topic] = true
        topics[#topics + 1] = topic
      end
      if #selectors > 0 then
        local recent = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', limit)
        for _, entry in ipairs(recent) do
          local topic = field(entry[2], 'k')
          if topic and not listed[topic] and matches(topic) then
            listed[topic] = true
            topics[#topics + 1] = topic
          end
        end
      end
      local events = {}
      local max = tonumber(ARGV[5])
      for _, topic in ipairs(topics) do
        local m = meta(topic)
        if m[1] and not m[2] then
          local entries = redis.call('XREVRANGE', prefix .. '{' .. topic .. '}', '+', '-',
            'COUNT', max + 1)
          for _, entry in ipairs(entries) do
            if not field(entry[2], 'closed') then
              events[#events + 1] = {entry[1], topic, m[1], entry[2]}
            end
          end
        end
      end
      return {head, headEpoch, now, 'unknown', events, closedExact}
      """);

  private SelectScript() {}
}
