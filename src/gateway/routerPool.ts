import type { RouterConfig } from '../config/routerConfig.js';
import type { HealthRegistry } from '../registry/healthRegistry.js';
import { createHealthRouter, type HealthRouter, type HealthRouterOptions } from '../router/createHealthRouter.js';
import type { GatewayRoute } from './gatewayConfig.js';

/** How many routers a `pass_model` route keeps (one per requested model name) before closing the oldest. */
const PER_ROUTE = 64;

/**
 * The routers behind the routes, made on first use and sharing one registry, so a backend's
 * cooldown holds for every route and request that uses it. A `pass_model` route gets a router per
 * requested model (bounded: the least recently used one is closed).
 *
 * @example
 * ```ts
 * const pool = new RouterPool(registry, (config) => ({ config, transport, registry }));
 * const router = await pool.routerFor(route, 'gpt-4o');
 * ```
 */
export class RouterPool {
  private readonly routers = new Map<string, Promise<HealthRouter>>();

  constructor(
    private readonly registry: HealthRegistry,
    private readonly options: (config: RouterConfig) => HealthRouterOptions,
  ) {}

  routerFor(route: GatewayRoute, model: string): Promise<HealthRouter> {
    const key = route.passModel ? `${route.match}\u0000${model}` : route.match;
    let router = this.routers.get(key);
    if (router) {
      // Most recently used last, so eviction takes the oldest.
      this.routers.delete(key);
      this.routers.set(key, router);
      return router;
    }
    router = createHealthRouter({ ...this.options(route.configFor(model)), registry: this.registry });
    this.routers.set(key, router);
    if (route.passModel) this.evict(route);
    return router;
  }

  /** Closes the router of one requested name on a `pass_model` route (its name was evicted), if it has one. */
  forget(route: GatewayRoute, model: string): void {
    const key = `${route.match}\u0000${model}`;
    const router = this.routers.get(key);
    if (!router) return;
    this.routers.delete(key);
    void router.then((r) => r.close()).catch(() => undefined);
  }

  private evict(route: GatewayRoute): void {
    const prefix = `${route.match}\u0000`;
    const own = [...this.routers.keys()].filter((k) => k.startsWith(prefix));
    for (const key of own.slice(0, Math.max(0, own.length - PER_ROUTE))) {
      const old = this.routers.get(key)!;
      this.routers.delete(key);
      void old.then((r) => r.close());
    }
  }

  async close(): Promise<void> {
    const all = [...this.routers.values()];
    this.routers.clear();
    for (const router of all) await (await router).close();
  }
}
