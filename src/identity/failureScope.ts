import type { ClassifiedFailure } from '../classify/failure.js';
import type { BackendIdentity } from './backendIdentity.js';
import { endpointKey, modelKey, type EndpointKey, type ModelKey } from './keys.js';

/**
 * How finely answered failures are attributed on an endpoint. `endpoint` (the default): one local
 * facade process is one backend, whatever model string is asked of it, so its failure is the
 * endpoint's. `model`: a multi-model aggregator, where one overloaded model must not jail the others.
 *
 * @example
 * ```ts
 * import type { FailureGranularity } from 'llm-health-router';
 * const openrouter: FailureGranularity = 'model';
 * ```
 */
export type FailureGranularity = 'endpoint' | 'model';

/**
 * Where a failure is recorded: against the endpoint key, against the model key, or nowhere.
 *
 * @example
 * ```ts
 * import type { FailureScope } from 'llm-health-router';
 * const recorded = (s: FailureScope) => s !== 'none';
 * ```
 */
export type FailureScope = 'endpoint' | 'model' | 'none';

/**
 * The facts of a classified failure that decide its scope.
 *
 * @example
 * ```ts
 * import type { ScopedFailure } from 'llm-health-router';
 * const refused: ScopedFailure = { kind: 'unreachable', answered: false, modelSpecific: false };
 * ```
 */
export type ScopedFailure = Pick<ClassifiedFailure, 'kind' | 'answered' | 'modelSpecific'> & Partial<Pick<ClassifiedFailure, 'connected'>>;

/**
 * Decide which key a failure is recorded against. The rules, first match wins:
 * 1. `request_fault`, `aborted`, `local` → `none`: the request, the caller or this process was at
 *    fault, not the backend.
 * 2. `unreachable` or `crash`, or not answered on a connection not known to be up → `endpoint`:
 *    nobody answered at the address (refused, reset, DNS, connect timeout), or the server said its
 *    process died; no model on it can work, whatever the granularity. A timeout on an established
 *    connection (`connected`: the request was written, nothing came back in time) goes on: it is
 *    the model being slow or hung, and another model on the endpoint may answer.
 * 3. `modelSpecific` (e.g. a 404 naming the model) → `model`, even at `endpoint` granularity:
 *    the endpoint demonstrably serves other models.
 * 4. `auth_config` → `endpoint`: a bad key, exhausted quota or wrong base URL belongs to the
 *    account on that endpoint, so every model on it would fail the same way.
 * 5. otherwise (answered `backend_fault`, `rate_limited`) → the configured granularity.
 *
 * @example
 * ```ts
 * import { failureScope } from 'llm-health-router';
 * failureScope({ kind: 'crash', answered: true, modelSpecific: false }, 'model');              // 'endpoint'
 * failureScope({ kind: 'backend_fault', answered: true, modelSpecific: false }, 'model');      // 'model'
 * failureScope({ kind: 'backend_fault', answered: true, modelSpecific: false });               // 'endpoint'
 * failureScope({ kind: 'backend_fault', answered: false, connected: true, modelSpecific: false }, 'model'); // 'model' (a hung model)
 * failureScope({ kind: 'request_fault', answered: true, modelSpecific: false });               // 'none'
 * ```
 */
export function failureScope(failure: ScopedFailure, granularity: FailureGranularity = 'endpoint'): FailureScope {
  const { kind } = failure;
  if (kind === 'request_fault' || kind === 'aborted' || kind === 'local') return 'none';
  if ((!failure.answered && failure.connected !== true) || kind === 'unreachable' || kind === 'crash') return 'endpoint';
  if (failure.modelSpecific) return 'model';
  if (kind === 'auth_config') return 'endpoint';
  return granularity;
}

/**
 * The two health keys of a routing candidate (an identity plus the model it would be asked for).
 * A candidate is routable only if both keys are: an endpoint-level failure (crash, refused)
 * excludes every model on the endpoint, a model-level one excludes only that model id there (not
 * the other models of its family).
 *
 * @example
 * ```ts
 * import { candidateKeys, identify } from 'llm-health-router';
 * candidateKeys(identify({ provider: 'openrouter' }), 'anthropic/claude-sonnet-4');
 * // { endpoint: 'openrouter|chat_completions|https://openrouter.ai/api/v1',
 * //   model: 'openrouter|chat_completions|https://openrouter.ai/api/v1|anthropic/claude-sonnet-4' }
 * ```
 */
export function candidateKeys(identity: BackendIdentity, model?: string): { readonly endpoint: EndpointKey; readonly model: ModelKey } {
  return { endpoint: endpointKey(identity), model: modelKey(identity, model) };
}

/**
 * The key a failure is recorded against, or `undefined` when it is not recorded: the composition
 * of {@link failureScope} and {@link candidateKeys} that every caller would otherwise rewrite.
 *
 * @example
 * ```ts
 * import { failureKey, identify } from 'llm-health-router';
 * const facade = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082' });
 * failureKey(facade, 'claude-sonnet-4-6', { kind: 'crash', answered: true, modelSpecific: false });
 * // 'anthropic|anthropic_messages|http://127.0.0.1:8082'
 * ```
 */
export function failureKey(
  identity: BackendIdentity,
  model: string | undefined,
  failure: ScopedFailure,
  granularity: FailureGranularity = 'endpoint',
): EndpointKey | ModelKey | undefined {
  switch (failureScope(failure, granularity)) {
    case 'none':
      return undefined;
    case 'endpoint':
      return endpointKey(identity);
    case 'model':
      return modelKey(identity, model);
  }
}
