import type AnthropicClient from '@anthropic-ai/sdk';
import type OpenAIClient from 'openai';

/**
 * Thrown when a wire API's SDK is not installed. Both SDKs are optional peer dependencies: a
 * user who only calls OpenAI-compatible backends need not install `@anthropic-ai/sdk`. This is a
 * setup problem of the host, not a failure of any backend, so it is thrown rather than returned
 * as a classified failure (which would mark a healthy backend down).
 *
 * @example
 * ```ts
 * try { await sdkClientFor(entry); }
 * catch (error) { if (error instanceof MissingSdkError) console.error(`npm install ${error.packageName}`); }
 * ```
 */
export class MissingSdkError extends Error {
  override readonly name = 'MissingSdkError';
  constructor(
    /** The npm package to install. */
    readonly packageName: '@anthropic-ai/sdk' | 'openai',
    cause: unknown,
  ) {
    super(
      `the ${packageName === 'openai' ? 'OpenAI' : 'Anthropic'} SDK is needed for this backend but could not be loaded: npm install ${packageName}`,
      { cause },
    );
  }
}

// One import per process: `import()` is cached by Node anyway, but a rejected promise is kept
// too, so a missing SDK fails fast with the same error on every call.
let anthropic: Promise<typeof AnthropicClient> | undefined;
let openai: Promise<typeof OpenAIClient> | undefined;

/**
 * The `Anthropic` client class from `@anthropic-ai/sdk`, loaded on first use; a
 * {@link MissingSdkError} naming the package when it is not installed.
 *
 * @example
 * ```ts
 * const Anthropic = await loadAnthropicSdk();
 * const client = new Anthropic({ apiKey: 'x', baseURL: 'http://127.0.0.1:8082', maxRetries: 0 });
 * ```
 */
export function loadAnthropicSdk(): Promise<typeof AnthropicClient> {
  anthropic ??= import('@anthropic-ai/sdk').then(
    (module) => module.default,
    (error: unknown) => {
      throw new MissingSdkError('@anthropic-ai/sdk', error);
    },
  );
  return anthropic;
}

/**
 * The `OpenAI` client class from `openai`, loaded on first use; a {@link MissingSdkError}
 * naming the package when it is not installed.
 *
 * @example
 * ```ts
 * const OpenAI = await loadOpenAiSdk();
 * const client = new OpenAI({ apiKey: 'x', baseURL: 'http://127.0.0.1:11434/v1', maxRetries: 0 });
 * ```
 */
export function loadOpenAiSdk(): Promise<typeof OpenAIClient> {
  openai ??= import('openai').then(
    (module) => module.default,
    (error: unknown) => {
      throw new MissingSdkError('openai', error);
    },
  );
  return openai;
}
