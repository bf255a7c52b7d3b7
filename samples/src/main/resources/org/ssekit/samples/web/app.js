// The ssekit chat page: one EventSource for the rooms joined (one or several) and, once logged in, the
// user's direct messages; messages posted with fetch. With ?api=<origin> it uses the chat of another
// origin (which must allow this page's origin with --allow-origin), sending its session cookie along.
// No build step, no library.
'use strict';

(() => {
  const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
  const MAX_ROOMS = 16;
  const DEFAULT_ROOMS = ['lobby', 'random'];
  const NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
  const DM_EVENT = 'dm';
  const PRESENCE_EVENT = 'presence';
  const MULTI_ROOM_PREFIX = 'rooms/';

  const $ = (id) => document.getElementById(id);
  const ui = {
    state: $('state'),
    lastId: $('last-id'),
    roomForm: $('room-form'),
    room: $('room'),
    roomList: $('room-list'),
    title: $('room-title'),
    endpoint: $('endpoint'),
    messages: $('messages'),
    composer: $('composer'),
    text: $('text'),
    send: $('send'),
    closeRoom: $('close-room'),
    target: $('target'),
    targetRow: $('target-row'),
    error: $('error'),
    loginForm: $('login-form'),
    loginName: $('login-name'),
    whoami: $('whoami'),
    user: $('user'),
    logout: $('logout'),
    dmPanel: $('dm-panel'),
    inbox: $('inbox'),
    dmForm: $('dm-form'),
    dmTo: $('dm-to'),
    dmText: $('dm-text'),
    membersPanel: $('members-panel'),
    members: $('members'),
  };

  const params = new URLSearchParams(location.search);
  // The chat's origin: this page's, or another one given as ?api=http://host:port (nothing else).
  const apiParam = params.get('api') || '';
  const API = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(apiParam) ? apiParam : '';
  const crossOrigin = API !== '' && API !== location.origin;
  const BASES = { servlet: API + '/chat', jaxrs: API + '/api/chat' };
  const ROOTS = { servlet: API, jaxrs: API + '/api' };
  // Cookies go along on the other origin's requests too (it answers CORS with credentials).
  const CREDENTIALS = crossOrigin ? 'include' : 'same-origin';
  let user = null; // the logged-in name, or null
  // The rooms the stream carries (1-16, as the server allows), and the one messages are sent to.
  let rooms = parseRooms(params.getAll('room'));
  if (rooms.length === 0) {
    rooms = ['lobby'];
  }
  let target = rooms[0];
  let via = params.get('via') === 'jaxrs' ? 'jaxrs' : 'servlet';
  const knownRooms = new Set(DEFAULT_ROOMS.concat(rooms));
  const closedRooms = new Set();
  const myIds = new Set();
  let source = null;
  let state = 'connecting';
  let lastEventId = '';
  // Who is in each room of the stream (room -> Set of names), from its presence events; logged in only.
  const members = new Map();

  function parseRooms(names) {
    const valid = names.flatMap((name) => name.split(/[\s,]+/)).filter((name) => ROOM_PATTERN.test(name));
    return [...new Set(valid)].slice(0, MAX_ROOMS);
  }

  // A stream of several rooms names each event after its room (event: <room>); one of one room does not,
  // unless it carries the inbox too.
  function multiRoom() {
    return rooms.length > 1 || user !== null;
  }

  function setState(next) {
    state = next;
    ui.state.dataset.state = next;
    ui.state.textContent = next;
    // A closed stream stays closed: nothing to send to, nothing to close.
    updateControls();
  }

  function updateControls() {
    const closed = state === 'closed' || closedRooms.has(target);
    ui.text.disabled = closed;
    ui.send.disabled = closed;
    ui.closeRoom.disabled = closed;
    ui.closeRoom.textContent = multiRoom() ? `Close #${target}` : 'Close this room';
  }

  function showError(text) {
    ui.error.textContent = text;
    ui.error.hidden = !text;
  }

  function nearBottom() {
    const list = ui.messages;
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  function append(item) {
    const stick = nearBottom();
    ui.messages.append(item);
    if (stick) {
      ui.messages.scrollTop = ui.messages.scrollHeight;
    }
  }

  function notice(text) {
    const item = document.createElement('li');
    item.className = 'notice';
    item.textContent = text;
    append(item);
  }

  function addMessage(event, room) {
    const item = document.createElement('li');
    item.className = 'message';
    item.dataset.id = event.lastEventId;
    item.dataset.room = room;
    if (myIds.has(event.lastEventId)) {
      item.classList.add('mine');
    }
    const meta = document.createElement('div');
    meta.className = 'meta';
    const id = document.createElement('span');
    id.className = 'msg-id';
    id.textContent = '#' + event.lastEventId;
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    if (multiRoom()) {
      const from = document.createElement('span');
      from.className = 'msg-room';
      from.textContent = '#' + room;
      meta.append(from);
    }
    meta.append(id, time);
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = event.data; // exactly as received: line breaks are kept by white-space: pre-wrap
    item.append(meta, text);
    append(item);
  }

  function markMine(id) {
    myIds.add(id);
    for (const item of ui.messages.querySelectorAll('.message')) {
      if (item.dataset.id === id) {
        item.classList.add('mine');
      }
    }
  }

  function roomQuery(names) {
    return names.map((name) => 'room=' + encodeURIComponent(name)).join('&');
  }

  // A logged-in page asks for presence events too, unless a room is named like them (the server refuses
  // that stream: its messages could not be told from presence events).
  function withPresence() {
    return user !== null && !rooms.includes(PRESENCE_EVENT);
  }

  function streamUrl() {
    return `${BASES[via]}/events?${roomQuery(rooms)}${user !== null ? '&inbox=1' : ''}`
      + (withPresence() ? '&presence=1' : '');
  }

  function renderMembers() {
    ui.membersPanel.hidden = !withPresence();
    ui.members.replaceChildren(...rooms.map((room) => {
      const item = document.createElement('li');
      item.dataset.room = room;
      const names = [...(members.get(room) || [])].sort();
      item.textContent = `#${room}: ${names.length ? names.join(', ') : 'nobody'}`;
      return item;
    }));
  }

  // A presence event: {"join":"alice"} or {"leave":"alice"}, with "topic":"rooms/<room>" on a stream of
  // several rooms. The stream starts with a join for everyone already there, itself included.
  function onPresence(current, event) {
    if (source !== current || !withPresence()) {
      return;
    }
    const change = JSON.parse(event.data);
    const room = change.topic ? change.topic.slice(MULTI_ROOM_PREFIX.length) : rooms[0];
    if (!members.has(room)) {
      members.set(room, new Set());
    }
    if (change.join !== undefined) {
      members.get(room).add(change.join);
    } else if (change.leave !== undefined) {
      members.get(room).delete(change.leave);
    }
    renderMembers();
  }

  // Every event of the stream, whatever its type: 'message' (one room), the room's name (several rooms),
  // or the hub's 'ssekit-gap' notice.
  function onEvent(current, event) {
    if (source !== current) {
      return;
    }
    // A notice carries no id and leaves lastEventId as it was; a message always has a new id. This also
    // tells a notice from a message of a room named 'ssekit-gap'.
    if (event.type === 'ssekit-gap' && event.lastEventId === lastEventId) {
      notice(`Some messages were missed (${event.data}).`);
      return;
    }
    if (event.type === DM_EVENT && user !== null) {
      const dm = JSON.parse(event.data);
      addDm('from', dm.from, dm.text, event.lastEventId);
      lastEventId = event.lastEventId;
      ui.lastId.textContent = lastEventId;
      return;
    }
    const room = multiRoom() ? event.type : rooms[0];
    if (!rooms.includes(room)) {
      return;
    }
    addMessage(event, room);
    lastEventId = event.lastEventId;
    ui.lastId.textContent = lastEventId || 'none';
  }

  function connect() {
    if (source) {
      source.close();
    }
    setState('connecting');
    lastEventId = '';
    ui.lastId.textContent = 'none';
    ui.endpoint.textContent = 'GET ' + streamUrl();
    const current = new EventSource(streamUrl(), { withCredentials: crossOrigin });
    source = current;
    members.clear();
    renderMembers();
    // Rooms named 'open' or 'error' arrive as MessageEvents of those types: they are messages, not state.
    current.addEventListener('open', (event) => {
      if (source === current && !(event instanceof MessageEvent)) {
        // A new stream (a reconnect too) lists everyone present again: start from nobody.
        members.clear();
        renderMembers();
        setState('open');
      }
    });
    const types = new Set(multiRoom() ? rooms : ['message']);
    types.add('ssekit-gap');
    if (user !== null) {
      types.add(DM_EVENT);
    }
    for (const type of types) {
      current.addEventListener(type, (event) => onEvent(current, event));
    }
    if (withPresence()) {
      current.addEventListener(PRESENCE_EVENT, (event) => onPresence(current, event));
    }
    current.addEventListener('error', (event) => {
      if (source !== current || event instanceof MessageEvent) {
        return;
      }
      if (current.readyState === EventSource.CLOSED && user !== null) {
        // The stream of rooms and inbox was refused: the session expired or was logged out elsewhere.
        setUser(null);
        notice('Your session ended; log in again to read your direct messages.');
        connect();
        return;
      }
      if (current.readyState === EventSource.CLOSED) {
        setState('closed');
        notice('Stream closed: the room is closed or the request was refused. The browser stops reconnecting.');
      } else {
        const wasOpen = state === 'open';
        setState('reconnecting');
        if (wasOpen) {
          notice(lastEventId ? `Connection lost; reconnecting with Last-Event-ID: ${lastEventId}`
            : 'Connection lost; reconnecting');
        }
      }
    });
  }

  function renderRooms() {
    ui.roomList.replaceChildren(...[...knownRooms].map((name) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = name;
      button.title = `Join #${name} alone`;
      button.setAttribute('aria-current', String(rooms.includes(name)));
      button.addEventListener('click', () => join([name]));
      // Adds the room to the stream, or takes it out: still one connection, now of more (or fewer) rooms.
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'toggle';
      toggle.dataset.room = name;
      const joined = rooms.includes(name);
      toggle.textContent = joined ? '\u2212' : '+';
      toggle.title = joined ? `Leave #${name}` : `Also join #${name}`;
      toggle.setAttribute('aria-pressed', String(joined));
      toggle.disabled = (joined && rooms.length === 1) || (!joined && rooms.length >= MAX_ROOMS);
      toggle.addEventListener('click', () => join(joined ? rooms.filter((r) => r !== name) : rooms.concat(name)));
      item.append(button, toggle);
      return item;
    }));
  }

  function renderTargets() {
    ui.target.replaceChildren(...rooms.map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = '#' + name + (closedRooms.has(name) ? ' (closed)' : '');
      option.selected = name === target;
      return option;
    }));
    ui.targetRow.hidden = rooms.length < 2;
  }

  function join(names) {
    rooms = names;
    if (!rooms.includes(target)) {
      target = rooms[0];
    }
    for (const name of rooms) {
      knownRooms.add(name);
    }
    ui.room.value = rooms.join(', ');
    const title = rooms.map((name) => '#' + name).join(' + ');
    ui.title.textContent = title;
    document.title = `${title} - ssekit chat`;
    const search = new URLSearchParams(rooms.map((name) => ['room', name]));
    search.append('via', via);
    if (API) {
      search.append('api', API);
    }
    history.replaceState(null, '', '?' + search);
    ui.messages.replaceChildren();
    showError('');
    renderRooms();
    renderTargets();
    updateControls();
    connect();
  }

  async function send() {
    const text = ui.text.value;
    if (!text.trim()) {
      ui.text.focus();
      return;
    }
    ui.send.disabled = true;
    try {
      const response = await fetch(`${BASES[via]}/messages?${roomQuery([target])}`, {
        method: 'POST',
        credentials: CREDENTIALS,
        headers: { 'Content-Type': 'text/plain; charset=UTF-8' },
        body: text,
      });
      const body = (await response.text()).trim();
      if (response.status === 202) {
        // The body is the id on the room's own stream, the header the id on streams of several rooms.
        markMine(body);
        markMine(response.headers.get('Multi-Room-Event-Id') || body);
        ui.text.value = '';
        showError('');
      } else {
        showError(`${response.status}: ${body}`);
      }
    } catch (e) {
      showError('Sending failed: ' + e.message);
    } finally {
      updateControls();
      ui.text.focus();
    }
  }

  async function closeRoom() {
    const closing = target;
    try {
      const response = await fetch(`${BASES.servlet}/rooms/${encodeURIComponent(closing)}`, { method: 'DELETE' });
      if (response.status !== 204) {
        showError(`${response.status}: ${(await response.text()).trim()}`);
      } else if (multiRoom()) {
        // The stream goes on with the other rooms (the server ends it once all of them are closed).
        closedRooms.add(closing);
        notice(`Room #${closing} closed.`);
        renderTargets();
        updateControls();
      }
    } catch (e) {
      showError('Closing failed: ' + e.message);
    }
  }

  function addDm(direction, name, text, id) {
    const item = document.createElement('li');
    item.className = 'dm ' + (direction === 'to' ? 'sent' : 'received');
    item.dataset.id = id;
    item.dataset.from = direction === 'from' ? name : user;
    item.dataset.to = direction === 'to' ? name : user;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = `${direction} ${name}`;
    const body = document.createElement('span');
    body.className = 'dm-text';
    body.textContent = text;
    item.append(who, body);
    ui.inbox.append(item);
    ui.inbox.scrollTop = ui.inbox.scrollHeight;
  }

  function setUser(name) {
    user = name;
    ui.user.textContent = name || '';
    ui.whoami.hidden = name === null;
    ui.loginForm.hidden = name !== null;
    ui.dmPanel.hidden = name === null;
    if (name === null) {
      ui.inbox.replaceChildren();
    }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: CREDENTIALS,
      headers: { 'Content-Type': 'text/plain; charset=UTF-8' },
      body,
    });
    return { status: response.status, text: (await response.text()).trim() };
  }

  async function login(name) {
    try {
      const answer = await post(`${ROOTS[via]}/login`, name);
      if (answer.status !== 204) {
        showError(`${answer.status}: ${answer.text}`);
        return;
      }
      showError('');
      setUser(name);
      join(rooms); // the stream now carries the inbox too, named events for the rooms
    } catch (e) {
      showError('Logging in failed: ' + e.message);
    }
  }

  async function logout() {
    try {
      // The server ends this user's streams; the page reconnects to the rooms alone.
      await post(`${ROOTS[via]}/logout`, '');
    } catch (e) {
      showError('Logging out failed: ' + e.message);
    }
    setUser(null);
    join(rooms);
  }

  async function sendDm() {
    const to = ui.dmTo.value.trim();
    const text = ui.dmText.value;
    if (!NAME_PATTERN.test(to) || !text) {
      return;
    }
    try {
      const answer = await post(`${BASES[via]}/dm?to=${encodeURIComponent(to)}`, text);
      if (answer.status === 202) {
        // Only the recipient's inbox gets the DM: the sender's copy is this one.
        if (to !== user) {
          addDm('to', to, text, answer.text);
        }
        ui.dmText.value = '';
        showError('');
      } else {
        showError(`${answer.status}: ${answer.text}`);
        if (answer.status === 401) {
          setUser(null);
          join(rooms);
        }
      }
    } catch (e) {
      showError('Sending failed: ' + e.message);
    }
  }

  ui.loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    login(ui.loginName.value.trim());
  });
  ui.logout.addEventListener('click', logout);
  ui.dmForm.addEventListener('submit', (event) => {
    event.preventDefault();
    sendDm();
  });

  ui.roomForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const names = parseRooms([ui.room.value.trim()]);
    if (names.length > 0) {
      join(names);
    }
  });
  for (const radio of document.querySelectorAll('input[name="via"]')) {
    radio.checked = radio.value === via;
    radio.addEventListener('change', () => {
      via = radio.value;
      join(rooms);
    });
  }
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  ui.text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  });
  ui.closeRoom.addEventListener('click', closeRoom);
  ui.target.addEventListener('change', () => {
    target = ui.target.value;
    updateControls();
  });

  // For tests and the curious: window.chat.source is the live EventSource.
  window.chat = {
    get source() { return source; },
    get state() { return state; },
    get room() { return rooms[0]; },
    get rooms() { return rooms.slice(); },
    get target() { return target; },
    get user() { return user; },
    get api() { return API; },
  };

  join(rooms);
})();
