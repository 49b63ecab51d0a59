// The lab's dashboard (index.html), fed over the SockJS event-bus bridge only:
// - every second it asks lab.members (the nodes and the services each deploys), then every service on every
//   node for its status (<service>.status.<node>), and redraws the tables from those replies;
// - it listens to mapreduce.progress, which the word-count jobs publish while they run.
// Rates (bytes/s, deliveries/s) are computed here from two successive readings.
(function () {
  'use strict';

  const POLL_MS = 1000;
  const STATUS_TIMEOUT_MS = 1500;
  const FINISHED_JOBS_KEPT = 5;

  let bus = null;
  let known = [];                 // every service the lab has
  let members = [];               // [{node, services, host, started_at, heard_ms_ago}]
  let statuses = [];              // [{service, node, state, endpoints, stats, message}]
  const previous = new Map();     // "service@node" -> {at, stats}: for rates
  const rates = new Map();        // "what@node" -> per second
  const jobs = new Map();         // job id -> {progress, at, info}

  // ---- helpers ----

  const esc = (value) => String(value).replace(/[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  const num = (value) => (typeof value === 'number' ? value.toLocaleString('en-US', {maximumFractionDigits: 1}) : '—');
  const at = (json, path) => path.split('.').reduce((v, key) => (v && typeof v === 'object' ? v[key] : undefined), json);
  const up = (service) => statuses.filter((s) => s.service === service && s.state === 'up');
  const ago = (ms) => (ms < 60000 ? Math.round(ms / 1000) + ' s' : Math.round(ms / 60000) + ' min');

  function fill(selector, rows, columns, empty) {
    const body = document.querySelector(selector);
    body.innerHTML = rows.length ? rows.join('') : `<tr><td class="empty" colspan="${columns}">${esc(empty)}</td></tr>`;
  }

  /** A compact "key value" list of a stats object's numbers, nested keys dotted. */
  function numbers(stats, prefix = '') {
    const out = [];
    for (const [key, value] of Object.entries(stats || {})) {
      if (typeof value === 'number') out.push(`${prefix}${key} ${num(value)}`);
      else if (typeof value === 'string' || typeof value === 'boolean') out.push(`${prefix}${key} ${value}`);
      else if (value && typeof value === 'object' && !Array.isArray(value)) out.push(...numbers(value, `${prefix}${key}.`));
    }
    return out;
  }

  function rate(key, node, value, now) {
    const id = key + '@' + node;
    const last = previous.get(id);
    previous.set(id, {at: now, value});
    if (last && typeof value === 'number' && now > last.at) {
      rates.set(id, Math.max(0, (value - last.value) * 1000 / (now - last.at)));
    }
    return rates.get(id);
  }

  // ---- polling ----

  async function poll() {
    const reply = await bus.request('lab.members', {}, STATUS_TIMEOUT_MS);
    known = reply.services || [];
    members = reply.members || [];
    const asks = [];
    for (const member of members) {
      for (const service of member.services) {
        asks.push(bus.request(`${service}.status.${member.node}`, {}, STATUS_TIMEOUT_MS)
          .then((status) => Object.assign({service, node: member.node}, status),
            (err) => ({service, node: member.node, state: err.failureCode === 503 ? 'absent' : 'down',
              message: err.message})));
      }
    }
    statuses = await Promise.all(asks);
    render();
  }

  function loop() {
    const connection = bus;
    poll().catch((err) => console.warn('dashboard poll failed:', err.message))
      .finally(() => { if (bus === connection) setTimeout(loop, POLL_MS); });
  }

  function connect() {
    const live = document.getElementById('live');
    bus = new LabBus('/eventbus');
    bus.ready.then(() => {
      live.dataset.state = 'live';
      live.textContent = 'live';
      bus.register('mapreduce.progress', (progress) => jobProgress(progress));
      loop();
    }, () => {});
    bus.onclose = () => {
      // The node went away (restart, network): say so, and connect again.
      bus = null;
      live.dataset.state = 'offline';
      live.textContent = 'offline, reconnecting';
      setTimeout(connect, 2000);
    };
    bus.onerror = (frame) => explorerRefused(frame);
  }

  // ---- rendering ----

  function render() {
    const now = Date.now();
    renderMembers();
    renderServices();
    renderEcho(now);
    renderChat(now);
    renderJobs();
    renderQueue();
    renderBff();
    renderProcesses();
    addressSuggestions();
  }

  function renderMembers() {
    document.getElementById('members-count').textContent = `${members.length} node${members.length === 1 ? '' : 's'}`;
    fill('#members tbody', members.map((m) =>
      `<tr data-node="${esc(m.node)}"><td>${esc(m.node)}</td><td>${m.services.map(esc).join(', ')}</td>` +
      `<td>${esc(m.host || '')}</td><td>${ago(Date.now() - m.started_at)}</td><td>${ago(m.heard_ms_ago)} ago</td></tr>`),
    5, 'no node answers lab.members');
  }

  function renderServices() {
    const rows = [];
    for (const service of known) {
      const running = statuses.filter((s) => s.service === service);
      if (running.length === 0) {
        rows.push(`<tr data-service="${esc(service)}" data-node=""><td>${esc(service)}</td><td>—</td>` +
          `<td class="state-absent">absent</td><td></td><td class="numbers">no node runs it</td></tr>`);
      }
      for (const s of running) {
        const endpoints = (s.endpoints || []).map((e) => `${e.name} ${e.url}`).join(', ');
        rows.push(`<tr data-service="${esc(service)}" data-node="${esc(s.node)}"><td>${esc(service)}</td>` +
          `<td>${esc(s.node)}</td><td class="state-${esc(s.state)}">${esc(s.state)}</td><td>${esc(endpoints)}</td>` +
          `<td class="numbers">${esc(s.message || numbers(s.stats).join(' · '))}</td></tr>`);
      }
    }
    fill('#services tbody', rows, 5, 'waiting for lab.members');
  }

  function renderEcho(now) {
    const rows = [];
    for (const s of up('echo')) {
      for (const server of ['tcp', 'selector']) {
        const stats = (s.stats || {})[server];
        if (!stats) continue;
        const perSecond = rate('echo.' + server, s.node, stats.bytes_echoed, now);
        rows.push(`<tr data-node="${esc(s.node)}" data-server="${server}"><td>${esc(s.node)}</td><td>${server}</td>` +
          `<td class="open">${num(stats.open_connections)}</td><td>${num(stats.connections_total)}</td>` +
          `<td class="bytes">${num(stats.bytes_echoed)}</td><td>${num(perSecond)}</td></tr>`);
      }
    }
    fill('#echo tbody', rows, 6, 'no node runs echo');
  }

  function renderChat(now) {
    const rows = up('chat').map((s) => {
      const stats = s.stats || {};
      const perSecond = rate('chat.deliveries', s.node, stats.deliveries, now);
      const who = (stats.users || []).map(esc).join(', ');
      return `<tr data-node="${esc(s.node)}"><td>${esc(stats.room || 'lobby')} (${num(stats.online)} online)</td>` +
        `<td>${esc(s.node)}</td><td class="users">${num(stats.here)}</td><td>${who}</td>` +
        `<td>${num(stats.lines_in)}</td><td>${num(perSecond)}</td></tr>`;
    });
    fill('#chat tbody', rows, 6, 'no node runs chat');
  }

  function jobProgress(progress) {
    if (!progress || !progress.job) return;
    const known = jobs.get(progress.job);
    jobs.set(progress.job, {progress, at: Date.now(), info: known ? known.info : null});
    if (!known) {
      // Which file, on which node: asked once per job.
      bus.request('mapreduce.job.' + progress.job, {}, STATUS_TIMEOUT_MS)
        .then((job) => { const entry = jobs.get(progress.job); if (entry) entry.info = job; }, () => {});
    }
    const finished = [...jobs.entries()].filter(([, j]) => j.progress.state !== 'running');
    finished.slice(0, Math.max(0, finished.length - FINISHED_JOBS_KEPT)).forEach(([id]) => jobs.delete(id));
    renderJobs();
  }

  function renderJobs() {
    const rows = [...jobs.entries()].reverse().map(([id, {progress: p, info}]) => {
      const share = p.partitions ? p.partitionsDone / p.partitions : 0;
      const where = info ? ` <small>${esc((info.request || {}).path || '')} on ${esc(info.node || '')}</small>` : '';
      return `<tr data-job="${esc(id)}"><td title="${esc(id)}">${esc(id.slice(0, 8))}${where}</td><td>${esc(p.state)}</td>` +
        `<td><div class="bar" title="${p.partitionsDone}/${p.partitions} partitions"><span style="width:${(share * 100).toFixed(1)}%"></span></div>` +
        `<small>${num(p.partitionsDone)}/${num(p.partitions)}</small></td>` +
        `<td>${num(p.lines)}</td><td>${num(p.linesPerSecond)}</td></tr>`;
    });
    fill('#mapreduce tbody', rows, 5, 'no job since this page opened (mapreduce.jobs.start starts one)');
    document.getElementById('mapreduce-workers').textContent = up('mapreduce').map((s) =>
      `${s.node}: ${num(at(s.stats, 'workers'))} workers, ${num(at(s.stats, 'linesMapped'))} lines mapped`).join(' · ');
  }

  function renderQueue() {
    const nodes = up('queue');
    fill('#queue tbody.orders', nodes.map((s) => {
      const o = (s.stats || {}).orders || {};
      return `<tr data-node="${esc(s.node)}"><td>${esc(s.node)}</td><td class="waiting">${num(o.waiting)}</td>` +
        `<td>${num(o.working)}</td><td class="completed">${num(o.completed)}</td><td>${num(o.accepted)}</td>` +
        `<td>${num(o.refused_full)}</td></tr>`;
    }), 6, 'no node runs queue');
    const work = [];
    for (const s of nodes) {
      for (const [name, size] of Object.entries((s.stats || {}).work_queues || {})) {
        work.push(`<tr><td>${esc(name)} <small>on ${esc(s.node)}</small></td><td>${num(size)}</td></tr>`);
      }
    }
    fill('#queue tbody.work', work, 2, 'no work queue yet');
  }

  /** The breaker's state: stats.breaker as a string, or as an object with a state. */
  function breakerOf(stats) {
    const breaker = (stats || {}).breaker;
    if (typeof breaker === 'string') return breaker;
    if (breaker && typeof breaker === 'object') return breaker.state || '?';
    return '?';
  }

  function renderBff() {
    fill('#bff tbody', up('bff').map((s) => {
      const state = String(breakerOf(s.stats)).toLowerCase();
      // The breaker's own counters when it reports them (not its settings), else every number the BFF has.
      const breaker = (s.stats || {}).breaker;
      const shown = breaker && typeof breaker === 'object'
        ? Object.fromEntries(Object.entries(breaker).filter(([key]) => key !== 'state' && key !== 'settings'))
        : s.stats;
      return `<tr data-node="${esc(s.node)}"><td>${esc(s.node)}</td><td class="breaker-${esc(state)}">${esc(state)}</td>` +
        `<td class="numbers">${esc(numbers(shown).join(' · '))}</td></tr>`;
    }), 3, 'no node runs bff');
  }

  function renderProcesses() {
    fill('#process tbody', up('process').map((s) => {
      const p = s.stats || {};
      return `<tr data-node="${esc(s.node)}"><td>${esc(s.node)}</td><td>${num(p.running)}</td><td>${num(p.queued)}</td>` +
        `<td>${num(p.max)}</td><td>${num(p.started)}</td><td>${num(p.timedOut)}</td></tr>`;
    }), 6, 'no node runs process');
  }

  // ---- the bus explorer ----

  let explorerPending = null;

  function addressSuggestions() {
    const addresses = ['lab.members', ...known.map((s) => s + '.status'),
      ...statuses.map((s) => `${s.service}.status.${s.node}`), ...[...jobs.keys()].map((id) => 'mapreduce.job.' + id)];
    const list = document.getElementById('explorer-addresses');
    if (list.dataset.addresses !== addresses.join()) {
      list.dataset.addresses = addresses.join();
      list.innerHTML = addresses.map((a) => `<option value="${esc(a)}">`).join('');
    }
  }

  function explorerShow(outcome, text) {
    const out = document.getElementById('explorer-result');
    out.dataset.outcome = outcome;
    out.textContent = text;
  }

  /** The bridge answers a frame it does not permit with an err frame that names no address. */
  function explorerRefused(frame) {
    if (explorerPending) {
      explorerPending = null;
      explorerShow('refused', `refused by the bridge: ${frame.body || frame.message || 'access_denied'}` +
        ' (the address is not in the bridge\'s permitted list)');
    }
  }

  document.getElementById('explorer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const address = document.getElementById('explorer-address').value.trim();
    let body;
    try {
      body = JSON.parse(document.getElementById('explorer-body').value || '{}');
    } catch (e) {
      explorerShow('failure', 'not valid JSON: ' + e.message);
      return;
    }
    if (!bus) {
      explorerShow('failure', 'the event bus is not connected');
      return;
    }
    const started = performance.now();
    const request = explorerPending = {address};
    explorerShow('pending', `sending to ${address} ...`);
    bus.request(address, body, 5000).then((reply) => {
      if (explorerPending !== request) return;
      explorerPending = null;
      explorerShow('reply', `reply from ${address} in ${Math.round(performance.now() - started)} ms\n` +
        JSON.stringify(reply, null, 2));
    }, (err) => {
      if (explorerPending !== request) return;
      explorerPending = null;
      explorerShow('failure', `failure ${err.failureCode || ''}: ${err.message}`);
    });
  });

  connect();
})();
