import { randomUUID } from 'node:crypto';

const STATELY_SKY = { socketBase: 'wss://stately-sky-beta.mellson.partykit.dev', pageBase: 'https://stately.ai/registry/inspect' };

/**
 * Where Stately's hosted ("Sky") inspector receives a session and where its page is. These are
 * the addresses `createSkyInspector` of `@statelyai/inspect` 0.7.2 uses (a PartyKit room per
 * session, and a page named by the same id). That function is not used itself because it
 * neither returns the page's address (it only logs it once connected) nor ever closes its
 * socket, which reconnects forever and keeps the process alive.
 *
 * @internal
 * @example
 * ```ts
 * const { socketUrl, pageUrl } = skySession();
 * ```
 */
export function skySession(
  id: string = randomUUID(),
  where: { readonly socketBase: string; readonly pageBase: string } = STATELY_SKY,
): { readonly socketUrl: string; readonly pageUrl: string } {
  // `_pk` names this connection in the room, as PartyKit clients do.
  return {
    socketUrl: `${where.socketBase}/parties/main/inspect-${id}?_pk=${randomUUID()}`,
    pageUrl: `${where.pageBase}/${id}`,
  };
}
