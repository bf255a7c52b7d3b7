// Drives the Node.js EventSource clients of the ssekit interop matrix for the Java test driver.
//
// Reads one JSON command per line on stdin and writes one JSON observation per line on stdout:
//   {"op":"open","run":"r1","client":"undici","url":"http://...","types":["message"],"token":".."}
//       -> {"run":"r1","kind":"open"} / {"run":"r1","kind":"event","type":..,"data":..,"lastEventId":..}
//          / {"run":"r1","kind":"error","readyState":0|2,"detail":".."}
//   {"op":"state","run":"r1","seq":7}   -> {"run":"r1","kind":"state","seq":7,"readyState":1}
//   {"op":"close","run":"r1"}           -> {"run":"r1","kind":"closed"}
//   {"op":"token","run":"r1","token":".."} -> {"run":"r1","kind":"token"}
// With a "token", the connection sends "Authorization: Bearer <token>" with every request, through the client's
// own public API: undici's EventSource takes a dispatcher (here an Agent composed with an interceptor that adds
// the header), the eventsource package a fetch function (which adds it). Both run for each request, so a token
// replaced with "token" is sent from the next request (a reconnect) on.
// The first line written is {"kind":"ready","versions":{...}}. The process exits when stdin ends.
// Observations are recorded exactly as each client's EventSource API reports them: nothing is parsed here.

import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { Agent, EventSource as UndiciEventSource } from 'undici';
import { EventSource as NpmEventSource } from 'eventsource';

const CLIENTS = {
  undici: UndiciEventSource,
  eventsource: NpmEventSource,
};

function versionOf(name) {
  const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}

function emit(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

const sources = new Map();
// The current token of each connection opened with one.
const tokens = new Map();

const bearer = (run) => `Bearer ${tokens.get(run)}`;

// The EventSource options that send the run's current token with every request, per client.
function withToken(client, run) {
  if (client === 'undici') {
    const dispatcher = new Agent().compose((dispatch) => (options, handler) =>
      dispatch({ ...options, headers: { ...options.headers, authorization: bearer(run) } }, handler));
    return { dispatcher };
  }
  return {
    fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, Authorization: bearer(run) } }),
  };
}

function open(command) {
  const EventSourceClass = CLIENTS[command.client];
  if (!EventSourceClass) {
    emit({ run: command.run, kind: 'error', readyState: 2, detail: `unknown client ${command.client}` });
    return;
  }
  let source;
  try {
    if (typeof command.token === 'string') {
      tokens.set(command.run, command.token);
      source = new EventSourceClass(command.url, withToken(command.client, command.run));
    } else {
      source = new EventSourceClass(command.url);
    }
  } catch (e) {
    emit({ run: command.run, kind: 'error', readyState: 2, detail: `constructor threw: ${e}` });
    return;
  }
  sources.set(command.run, source);
  const run = command.run;
  source.addEventListener('open', () => emit({ run, kind: 'open' }));
  // A server event may be named like a built-in one ("error"): it then arrives as a MessageEvent, which
  // has string data, while the client's own error events have none.
  const isMessage = (e) => typeof e.data === 'string';
  const types = new Set(command.types);
  types.add('message');
  for (const type of types) {
    if (type === 'error') {
      continue;
    }
    source.addEventListener(type, (e) => {
      emit({ run, kind: 'event', type: e.type, data: e.data, lastEventId: e.lastEventId });
    });
  }
  source.addEventListener('error', (e) => {
    if (isMessage(e)) {
      if (types.has('error')) {
        emit({ run, kind: 'event', type: e.type, data: e.data, lastEventId: e.lastEventId });
      }
      return;
    }
    const detail = [e.message, e.code].filter((part) => part !== undefined && part !== '').join(' ');
    emit({ run, kind: 'error', readyState: source.readyState, detail });
  });
}

function handle(line) {
  if (line.trim() === '') {
    return;
  }
  const command = JSON.parse(line);
  switch (command.op) {
    case 'open':
      open(command);
      break;
    case 'state': {
      const source = sources.get(command.run);
      emit({ run: command.run, kind: 'state', seq: command.seq, readyState: source ? source.readyState : 2 });
      break;
    }
    case 'token':
      tokens.set(command.run, command.token);
      emit({ run: command.run, kind: 'token' });
      break;
    case 'close': {
      const source = sources.get(command.run);
      sources.delete(command.run);
      tokens.delete(command.run);
      if (source) {
        source.close();
      }
      emit({ run: command.run, kind: 'closed' });
      break;
    }
    default:
      emit({ run: command.run, kind: 'error', readyState: 2, detail: `unknown op ${command.op}` });
  }
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  try {
    handle(line);
  } catch (e) {
    emit({ kind: 'fatal', detail: String(e && e.stack ? e.stack : e) });
  }
});
input.on('close', () => {
  for (const source of sources.values()) {
    source.close();
  }
  process.exit(0);
});

emit({ kind: 'ready', versions: { undici: versionOf('undici'), eventsource: versionOf('eventsource') } });
