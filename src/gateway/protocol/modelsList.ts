/**
 * The `GET /v1/models` body in the client's protocol.
 *
 * - OpenAI: `{ object: 'list', data: [{ id, object: 'model', created: 0, owned_by }] }`;
 *   `owned_by` defaults to `llm-health-router`.
 * - Anthropic: `{ data: [{ type: 'model', id, display_name, created_at }], has_more: false,
 *   first_id, last_id }`; the display name is the id, and `created_at` is the Unix epoch: the
 *   gateway's models are names it routes, not releases with a date (OpenAI's `created: 0` is the
 *   same instant).
 *
 * @example
 * ```ts
 * modelsList([{ id: 'fast' }], 'openai');
 * // { object: 'list', data: [{ id: 'fast', object: 'model', created: 0, owned_by: 'llm-health-router' }] }
 * modelsList([{ id: 'fast' }], 'anthropic');
 * // { data: [{ type: 'model', id: 'fast', display_name: 'fast', created_at: '1970-01-01T00:00:00Z' }], has_more: false, first_id: 'fast', last_id: 'fast' }
 * ```
 */
export function modelsList(models: readonly { id: string; ownedBy?: string }[], protocol: 'openai' | 'anthropic'): object {
  if (protocol === 'openai') {
    return {
      object: 'list',
      data: models.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.ownedBy ?? 'llm-health-router' })),
    };
  }
  return {
    data: models.map((model) => ({ type: 'model', id: model.id, display_name: model.id, created_at: '1970-01-01T00:00:00Z' })),
    has_more: false,
    first_id: models[0]?.id ?? null,
    last_id: models.at(-1)?.id ?? null,
  };
}
