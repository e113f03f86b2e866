import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { pinnedLookup, type CheckedUrl } from './addressGuard';

// An idle pooled socket is closed after this: below the 5 s keep-alive of Node's own servers, so
// that we close first. A shorter `Keep-Alive: timeout` from the receiver is honoured by Node's agent.
const IDLE_MS = 4_000;
// Agents kept for reuse; the least recently used is dropped beyond this (its idle sockets close on
// their own timeout, and a send under way on it finishes normally).
const MAX_AGENTS = 256;

/** Keep-alive agents for the delivery worker's sends. */
export interface Agents {
  /** The agent for this checked URL: its sockets connect only to the addresses the check allowed. */
  for(target: CheckedUrl): HttpAgent;
  /** Closes every pooled socket. */
  close(): void;
}

/**
 * One agent per origin and set of checked addresses. A pooled socket was opened to an address that
 * passed the check; every delivery checks the URL again first, and it reuses a socket only when the
 * check gave the same addresses, so a DNS change to an internal address never rides an old socket.
 * Reuse saves a TCP and TLS handshake per delivery (about three quarters of a delivery's CPU).
 */
export function createAgents(): Agents {
  const agents = new Map<string, HttpAgent>(); // in order of last use
  return {
    for(target) {
      const key = `${target.url.protocol}//${target.url.host} ${target.addresses.join(' ')}`;
      let agent = agents.get(key);
      if (agent) agents.delete(key);
      else {
        const Agent = target.url.protocol === 'https:' ? HttpsAgent : HttpAgent;
        agent = new Agent({ keepAlive: true, timeout: IDLE_MS, scheduling: 'lifo', lookup: pinnedLookup(target.addresses) });
      }
      agents.set(key, agent);
      if (agents.size > MAX_AGENTS) agents.delete(agents.keys().next().value!);
      return agent;
    },
    close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}
