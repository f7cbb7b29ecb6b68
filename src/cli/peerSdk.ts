import type AnthropicClient from '@anthropic-ai/sdk';

/** The Anthropic SDK is an optional peer dependency: load it when a command needs it, with a clear message if absent. */
export async function loadAnthropic(): Promise<typeof AnthropicClient> {
  try {
    return (await import('@anthropic-ai/sdk')).default;
  } catch {
    throw new Error('this command needs the Anthropic SDK: npm install @anthropic-ai/sdk');
  }
}
