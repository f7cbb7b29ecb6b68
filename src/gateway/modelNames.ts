import type { GatewayRoute } from './gatewayConfig.js';

/** A request's hold on its model name: released when the request ends. */
export interface NameLease {
  release(): void;
}

interface Tracked {
  readonly route: GatewayRoute;
  readonly model: string;
  /** The health keys made from this name (the primary's model key). */
  readonly keys: readonly string[];
  inFlight: number;
}

/**
 * The model names `pass_model` routes track health for, gateway-wide and capped
 * (`gateway.max_model_names`). Every name a client asks such a route for becomes a health key of
 * its own, so without a cap 3,000 invented names made 3,000 registry keys, 2.5 MB of `/metrics`
 * and 52 MiB more heap.
 *
 * A new name over the cap first evicts names that hold nothing worth keeping: no request in
 * flight, and every key of theirs forgettable (healthy at level 0 — the same as never seen, so
 * forgetting loses nothing). If none can go, the new name is refused (the gateway answers 503):
 * health that still matters — a model in cooldown, or `down` because the provider does not know
 * it — is never thrown away to make room, or a client could wipe the health of the models in use
 * by asking for enough invented ones.
 *
 * @example
 * ```ts
 * const names = new ModelNameTable(256, (key) => registry.forget(key));
 * const lease = names.admit(route, 'meta-llama/llama-3-70b', [modelKey]);
 * if (!lease) refuse(503);
 * lease?.release();
 * ```
 */
export class ModelNameTable {
  /** Least recently used first. */
  private readonly names = new Map<string, Tracked>();

  /**
   * @param forget drops one key's health if it holds nothing, returning whether the key is gone.
   * @param evicted told of every name dropped (to close its router, its metric series …).
   */
  constructor(
    readonly cap: number,
    private readonly forget: (key: string) => boolean,
    private readonly evicted: (route: GatewayRoute, model: string) => void = () => {},
  ) {}

  /** Names tracked now. */
  get size(): number {
    return this.names.size;
  }

  /** Admits a request for `model` on a `pass_model` route, or returns `undefined` when the table is full of names whose health still matters. */
  admit(route: GatewayRoute, model: string, keys: readonly string[]): NameLease | undefined {
    const id = `${route.match}\u0000${model}`;
    let tracked = this.names.get(id);
    if (tracked) this.names.delete(id);
    else {
      if (this.names.size >= this.cap) this.evictForgettable();
      if (this.names.size >= this.cap) return undefined;
      tracked = { route, model, keys, inFlight: 0 };
    }
    this.names.set(id, tracked);
    const held = tracked;
    held.inFlight += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        held.inFlight -= 1;
      },
    };
  }

  /** Drops every idle name whose keys hold nothing, oldest first. */
  private evictForgettable(): void {
    for (const [id, tracked] of this.names) {
      if (tracked.inFlight > 0) continue;
      // Each forget is lossless on its own, so a name half forgotten is still correct.
      if (!tracked.keys.every((key) => this.forget(key))) continue;
      this.names.delete(id);
      this.evicted(tracked.route, tracked.model);
    }
  }
}

/** The longest model name a `pass_model` route forwards (and makes a health key of); real ones are far shorter. */
export const MAX_PASSED_MODEL_NAME = 256;
