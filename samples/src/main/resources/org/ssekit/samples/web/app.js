// The ssekit chat page: one EventSource per room, messages posted with fetch. No build step, no library.
'use strict';

(() => {
  const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
  const DEFAULT_ROOMS = ['lobby', 'random'];
  const BASES = { servlet: '/chat', jaxrs: '/api/chat' };

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
    error: $('error'),
  };

  const params = new URLSearchParams(location.search);
  let room = ROOM_PATTERN.test(params.get('room') || '') ? params.get('room') : 'lobby';
  let via = params.get('via') === 'jaxrs' ? 'jaxrs' : 'servlet';
  const knownRooms = new Set(DEFAULT_ROOMS.concat(room));
  const myIds = new Set();
  let source = null;
  let state = 'connecting';
  let lastEventId = '';

  function setState(next) {
    state = next;
    ui.state.dataset.state = next;
    ui.state.textContent = next;
    // A closed stream stays closed: nothing to send to, nothing to close.
    const closed = next === 'closed';
    ui.text.disabled = closed;
    ui.send.disabled = closed;
    ui.closeRoom.disabled = closed;
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

  function addMessage(event) {
    const item = document.createElement('li');
    item.className = 'message';
    item.dataset.id = event.lastEventId;
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

  function streamUrl() {
    return `${BASES[via]}/events?room=${encodeURIComponent(room)}`;
  }

  function connect() {
    if (source) {
      source.close();
    }
    setState('connecting');
    lastEventId = '';
    ui.lastId.textContent = 'none';
    ui.endpoint.textContent = 'GET ' + streamUrl();
    const current = new EventSource(streamUrl());
    source = current;
    current.addEventListener('open', () => {
      if (source === current) {
        setState('open');
      }
    });
    current.addEventListener('message', (event) => {
      if (source !== current) {
        return;
      }
      addMessage(event);
      lastEventId = event.lastEventId;
      ui.lastId.textContent = lastEventId || 'none';
    });
    current.addEventListener('ssekit-gap', (event) => {
      if (source === current) {
        notice(`Some messages were missed (${event.data}).`);
      }
    });
    current.addEventListener('error', () => {
      if (source !== current) {
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
      button.setAttribute('aria-current', String(name === room));
      button.addEventListener('click', () => join(name));
      item.append(button);
      return item;
    }));
  }

  function join(name) {
    room = name;
    knownRooms.add(name);
    ui.room.value = name;
    ui.title.textContent = '#' + name;
    document.title = `#${name} - ssekit chat`;
    const search = new URLSearchParams({ room, via });
    history.replaceState(null, '', '?' + search);
    ui.messages.replaceChildren();
    showError('');
    renderRooms();
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
      const response = await fetch(`${BASES[via]}/messages?room=${encodeURIComponent(room)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=UTF-8' },
        body: text,
      });
      const body = (await response.text()).trim();
      if (response.status === 202) {
        markMine(body);
        ui.text.value = '';
        showError('');
      } else {
        showError(`${response.status}: ${body}`);
      }
    } catch (e) {
      showError('Sending failed: ' + e.message);
    } finally {
      ui.send.disabled = state === 'closed';
      ui.text.focus();
    }
  }

  async function closeRoom() {
    try {
      const response = await fetch(`/chat/rooms/${encodeURIComponent(room)}`, { method: 'DELETE' });
      if (response.status !== 204) {
        showError(`${response.status}: ${(await response.text()).trim()}`);
      }
    } catch (e) {
      showError('Closing failed: ' + e.message);
    }
  }

  ui.roomForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = ui.room.value.trim();
    if (ROOM_PATTERN.test(name)) {
      join(name);
    }
  });
  for (const radio of document.querySelectorAll('input[name="via"]')) {
    radio.checked = radio.value === via;
    radio.addEventListener('change', () => {
      via = radio.value;
      join(room);
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

  // For tests and the curious: window.chat.source is the live EventSource.
  window.chat = {
    get source() { return source; },
    get state() { return state; },
    get room() { return room; },
  };

  join(room);
})();
