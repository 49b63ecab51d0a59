// A small client for the lab's SockJS event-bus bridge (/eventbus), written for the lab's pages.
// Frames are JSON: {type: send|publish|register|unregister|ping, address, body, headers, replyAddress};
// the server answers with {type: message|err, address, body, failureCode, message}.
// Needs SockJS loaded first (/webjars/sockjs-client/1.6.1/dist/sockjs.min.js).
(function (global) {
  'use strict';

  class LabBus {
    constructor(url) {
      this.url = url || '/eventbus';
      this.handlers = new Map();   // address -> [callback]
      this.pending = new Map();    // reply address -> {resolve, reject, timer}
      this.ready = new Promise((resolve, reject) => {
        this.socket = new global.SockJS(this.url);
        this.socket.onopen = () => {
          this.pinger = setInterval(() => this.frame({type: 'ping'}), 5000);
          resolve(this);
        };
        this.socket.onclose = () => {
          clearInterval(this.pinger);
          reject(new Error('event bus closed'));
          for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject(new Error('event bus closed')); }
          this.pending.clear();
          if (this.onclose) this.onclose();
        };
        this.socket.onmessage = (event) => this.receive(JSON.parse(event.data));
      });
    }

    frame(json) { this.socket.send(JSON.stringify(json)); }

    receive(msg) {
      const reply = this.pending.get(msg.address);
      if (reply) {
        this.pending.delete(msg.address);
        clearTimeout(reply.timer);
        if (msg.type === 'err') {
          reply.reject(Object.assign(new Error(msg.message), {failureCode: msg.failureCode}));
        } else {
          reply.resolve(msg.body);
        }
        return;
      }
      const callbacks = this.handlers.get(msg.address) || [];
      if (msg.type === 'err' && callbacks.length === 0) {
        // The bridge refuses a frame (address not permitted) with an err frame on no address.
        if (this.onerror) this.onerror(msg);
        return;
      }
      callbacks.forEach((cb) => cb(msg.body, msg));
    }

    /** Sends a request; resolves with the reply body, rejects with {failureCode, message} or on timeout. */
    request(address, body, timeoutMs) {
      const replyAddress = 'reply.' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(replyAddress);
          reject(Object.assign(new Error('no reply within ' + (timeoutMs || 5000) + ' ms'), {failureCode: 504}));
        }, timeoutMs || 5000);
        this.pending.set(replyAddress, {resolve, reject, timer});
        this.frame({type: 'send', address, body, headers: {}, replyAddress});
      });
    }

    publish(address, body) { this.frame({type: 'publish', address, body, headers: {}}); }

    /** Listens to an address; returns a function that stops listening. */
    register(address, callback) {
      if (!this.handlers.has(address)) {
        this.handlers.set(address, []);
        this.frame({type: 'register', address, headers: {}});
      }
      this.handlers.get(address).push(callback);
      return () => {
        const list = (this.handlers.get(address) || []).filter((cb) => cb !== callback);
        if (list.length === 0) {
          this.handlers.delete(address);
          this.frame({type: 'unregister', address, headers: {}});
        } else {
          this.handlers.set(address, list);
        }
      };
    }

    close() { this.socket.close(); }
  }

  global.LabBus = LabBus;
})(window);
