import { describe, expect, it } from 'vitest';
import type { GatewayRoute } from '../../src/gateway/gatewayConfig.js';
import { ModelNameTable } from '../../src/gateway/modelNames.js';

const route = { match: '*', passModel: true } as GatewayRoute;

describe('model names a pass_model route tracks', () => {
  it('over the cap, evicts idle names whose keys hold nothing; never one in flight or one whose health matters; refuses when none can go', () => {
    const holding = new Set<string>(); // keys whose health still matters
    const forgotten: string[] = [];
    const evicted: string[] = [];
    const table = new ModelNameTable(
      2,
      (key) => {
        if (holding.has(key)) return false;
        forgotten.push(key);
        return true;
      },
      (_route, model) => evicted.push(model),
    );
    const a = table.admit(route, 'a', ['key-a'])!;
    table.admit(route, 'b', ['key-b'])!.release();
    expect(table.size).toBe(2);
    // 'a' is in flight, 'b' is idle and holds nothing: 'b' makes room.
    const c = table.admit(route, 'c', ['key-c']);
    expect(c).toBeDefined();
    expect(evicted).toEqual(['b']);
    expect(forgotten).toEqual(['key-b']);
    c!.release();
    holding.add('key-c');
    // 'a' in flight, 'c' in cooldown: nothing can go.
    expect(table.admit(route, 'd', ['key-d'])).toBeUndefined();
    expect(table.size).toBe(2);
    // A name already tracked is always admitted.
    table.admit(route, 'c', ['key-c'])!.release();
    a.release();
    expect(table.admit(route, 'd', ['key-d'])).toBeDefined();
    expect(evicted).toEqual(['b', 'a']);
    expect(table.size).toBe(2);
  });
});
