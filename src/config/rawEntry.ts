import { API_MODES, type ApiMode } from '../identity/apiMode.js';
import { fieldPath } from './fields.js';
import type { IssueList } from './issueList.js';
import { HIDDEN, showValue } from './showValue.js';

/**
 * An entry's fields after type checks, before anything is resolved. Blank strings and `null` are
 * "not set", as in Hermes (Python truthiness), whose own generated configs write `model: ""` and
 * `base_url: ""` for unset fields.
 *
 * @internal
 * @example
 * ```ts
 * const raw: RawEntry = { provider: 'openrouter', model: 'anthropic/claude-sonnet-4', keyEnv: { field: 'api_key_env', name: 'OPENROUTER_API_KEY' } };
 * ```
 */
export interface RawEntry {
  readonly provider?: string;
  readonly model?: string;
  readonly baseUrl?: string;
  readonly apiMode?: ApiMode;
  readonly apiKey?: string;
  /** The environment variable named by `api_key_env` or its alias `key_env`. */
  readonly keyEnv?: { readonly field: 'api_key_env' | 'key_env'; readonly name: string };
  readonly contextWindow?: number;
  readonly healthScope?: 'endpoint' | 'model';
  /** True when any entry field is set at all (distinguishes "no entry" from "an entry missing its model"). */
  readonly anySet: boolean;
}

/** A POSIX-ish environment variable name; anything else is most likely the key pasted in the wrong field. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Type-check the entry fields of `record` (the keys themselves are checked by `checkKnownKeys`),
 * recording one issue per bad field under `prefix`; the fields that are fine are returned either way.
 *
 * @internal
 * @example
 * ```ts
 * readEntry({ provider: 'custom', model: 'qwen3:32b', api_mode: 'chat' }, 'fallback_providers[1]', issues);
 * // issues: fallback_providers[1].api_mode: "chat" is not an api mode; use anthropic_messages, chat_completions or responses
 * ```
 */
export function readEntry(record: Readonly<Record<string, unknown>>, prefix: string, issues: IssueList): RawEntry {
  const at = (field: string) => fieldPath(prefix, field);
  // `hidden`: the value may be a secret, so a wrong type is reported without it.
  const text = (field: string, example: string, hidden = false): string | undefined => {
    const value = record[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      return trimmed === '' ? undefined : trimmed;
    }
    if (hidden) {
      issues.add(at(field), `${HIDDEN} is not text; quote the value`);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      issues.add(at(field), `${showValue(value)} is not text; quote it ("${String(value)}") or write ${example}`);
    } else {
      issues.add(at(field), `${showValue(value)} is not text; write ${example}`);
    }
    return undefined;
  };

  const provider = text('provider', 'a provider name like anthropic, openrouter or custom');
  const model = text('model', 'a model name like claude-sonnet-4-6');
  const baseUrl = text('base_url', 'a URL like http://127.0.0.1:8082');
  const apiModeText = text('api_mode', 'one of anthropic_messages, chat_completions or responses');
  const apiKey = text('api_key', '', true);
  if (apiKey !== undefined) issues.secret(apiKey);
  const apiKeyEnv = envName(record, 'api_key_env', at, issues, text);
  const keyEnv = envName(record, 'key_env', at, issues, text);
  const scopeText = text('health_scope', 'endpoint or model');

  let apiMode: ApiMode | undefined;
  if (apiModeText !== undefined) {
    const mode = apiModeText.toLowerCase();
    if ((API_MODES as readonly string[]).includes(mode)) apiMode = mode as ApiMode;
    else issues.add(at('api_mode'), `${showValue(apiModeText)} is not an api mode; use anthropic_messages, chat_completions or responses`);
  }

  let healthScope: 'endpoint' | 'model' | undefined;
  if (scopeText !== undefined) {
    const scope = scopeText.toLowerCase();
    if (scope === 'endpoint' || scope === 'model') healthScope = scope;
    else issues.add(at('health_scope'), `${showValue(scopeText)} is not a health scope; use endpoint (the whole address fails together) or model (each model on its own)`);
  }

  let contextWindow: number | undefined;
  const window = record['context_window'];
  if (window !== undefined && window !== null) {
    if (typeof window === 'number' && Number.isSafeInteger(window) && window > 0) contextWindow = window;
    else issues.add(at('context_window'), `${showValue(window)} is not a context window; use a positive whole number of tokens, e.g. 200000`);
  }

  if (apiKeyEnv !== undefined && keyEnv !== undefined && apiKeyEnv !== keyEnv) {
    issues.add(at('key_env'), `${showValue(keyEnv)} conflicts with api_key_env ${showValue(apiKeyEnv)}; key_env is an alias of api_key_env, keep only one`);
  }
  const keyEnvRef =
    apiKeyEnv !== undefined
      ? { field: 'api_key_env' as const, name: apiKeyEnv }
      : keyEnv !== undefined
        ? { field: 'key_env' as const, name: keyEnv }
        : undefined;

  const anySet = [provider, model, baseUrl, apiModeText, apiKey, apiKeyEnv, keyEnv, scopeText, window].some((v) => v !== undefined && v !== null);
  return {
    anySet,
    ...(provider !== undefined && { provider }),
    ...(model !== undefined && { model }),
    ...(baseUrl !== undefined && { baseUrl }),
    ...(apiMode !== undefined && { apiMode }),
    ...(apiKey !== undefined && { apiKey }),
    ...(keyEnvRef !== undefined && { keyEnv: keyEnvRef }),
    ...(contextWindow !== undefined && { contextWindow }),
    ...(healthScope !== undefined && { healthScope }),
  };
}

/**
 * Read `api_key_env` / `key_env`: a variable name. A value that is not a name is hidden in the
 * error, because the usual mistake is pasting the key itself here.
 */
function envName(
  record: Readonly<Record<string, unknown>>,
  field: 'api_key_env' | 'key_env',
  at: (field: string) => string,
  issues: IssueList,
  text: (field: string, example: string, hidden?: boolean) => string | undefined,
): string | undefined {
  const name = text(field, 'the name of an environment variable like OPENROUTER_API_KEY', true);
  if (name === undefined) return undefined;
  if (!ENV_NAME.test(name)) {
    issues.secret(name);
    issues.add(
      at(field),
      `${HIDDEN} is not an environment variable name; write the variable's name (e.g. OPENROUTER_API_KEY), or put the key itself in api_key`,
    );
    return undefined;
  }
  issues.secretVariable(name);
  return name;
}
