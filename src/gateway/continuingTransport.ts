import type { ClassifiedFailure } from '../classify/failure.js';
import type { BackendEntry } from '../config/routerConfig.js';
import type { NeutralMessage, NeutralRequest } from '../transports/neutral.js';
import type { CallOutcome, Transport } from '../transports/transport.js';
import type { ClientStream } from './clientStream.js';

/**
 * The gateway's transport: streams each attempt's text straight to the client, and once part of
 * an answer is out, turns every further attempt (a fail-over, or a same-backend retry) into a
 * continuation — the partial answer sent as an assistant prefill, the continuation's text spliced
 * into the same client stream. A backend whose protocol has no prefill cannot continue: the call
 * then ends as `aborted` (nothing is recorded against that backend) and the client is told the
 * original failure. Requests without a client stream (probes) pass straight through.
 *
 * @example
 * ```ts
 * const streams = new WeakMap<NeutralRequest, ClientStream>();
 * const transport = continuingTransport(sdkTransport(), streams);
 * ```
 */
export function continuingTransport(inner: Transport, streams: WeakMap<NeutralRequest, ClientStream>): Transport {
  return {
    async call(entry, request, options): Promise<CallOutcome> {
      const stream = streams.get(request);
      if (!stream) return inner.call(entry, request, options);
      if (stream.sent === '') {
        const outcome = await inner.call(entry, request, { ...options, onText: (delta) => stream.write(delta, entry.model) });
        if (outcome.ok || stream.sent === '') return outcome;
        stream.interruptedBy ??= outcome.failure;
        // A retry on the same backend would now be a continuation: only one that can continue may have it.
        return canContinue(entry) ? outcome : { ...outcome, failure: { ...outcome.failure, retrySameBackend: false } };
      }
      const prefix = stream.sent;
      if (!canContinue(entry)) return { ok: false, failure: cannotContinue(entry, stream.interruptedBy), error: new Error(cannotContinue(entry, stream.interruptedBy).message) };
      // Anthropic refuses a prefill that ends in whitespace: send it trimmed, and drop the
      // whitespace the continuation starts with (the client already has it).
      const trailing = /\s+$/.exec(prefix)?.[0] ?? '';
      let leading = trailing !== '';
      const onText = (delta: string) => {
        const text = leading ? delta.replace(/^\s+/, '') : delta;
        if (text !== '') leading = false;
        stream.write(text, entry.model);
      };
      const outcome = await inner.call(entry, withPrefill(request, prefix.slice(0, prefix.length - trailing.length)), { ...options, onText });
      if (!outcome.ok) {
        // Cut after its last word, the answer was already whole: nothing to add is a right answer here.
        if (outcome.failure.reason === 'empty_content') return { ok: true, response: { text: prefix, toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 0, outputTokens: 0 }, model: entry.model, servedBy: entry.label } };
        return outcome;
      }
      const continued = trailing !== '' ? outcome.response.text.replace(/^\s+/, '') : outcome.response.text;
      return { ok: true, response: { ...outcome.response, text: prefix + continued } };
    },
  };
}

/**
 * Whether this backend can continue a partly sent answer: Anthropic's Messages API continues a
 * trailing assistant message (a prefill); Chat Completions has no such thing.
 *
 * @example
 * ```ts
 * import { canContinue } from 'llm-health-router';
 * const rescuers = config.fallbacks.filter(canContinue); // who can take over a cut stream
 * ```
 */
export function canContinue(entry: BackendEntry): boolean {
  return entry.apiMode === 'anthropic_messages';
}

/** The request with the partial answer as the assistant's prefill (appended to a prefill the client sent). */
function withPrefill(request: NeutralRequest, prefix: string): NeutralRequest {
  const last = request.messages.at(-1);
  const messages: NeutralMessage[] = [...request.messages];
  if (last?.role === 'assistant') {
    const earlier = last.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
    messages[messages.length - 1] = { role: 'assistant', content: [{ type: 'text', text: earlier + prefix }] };
  } else {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: prefix }] });
  }
  return { ...request, messages };
}

function cannotContinue(entry: BackendEntry, original: ClassifiedFailure | undefined): ClassifiedFailure {
  const what = original ? `${original.kind} (${original.reason})${original.message ? `: ${original.message}` : ''}` : 'a backend failure';
  return {
    kind: 'aborted',
    // `declined`: the router moves on to the next candidate and records nothing against this one.
    reason: 'declined',
    message: `the answer was cut by ${what} after part of it was sent, and the next backend (${entry.label}, ${entry.apiMode}) cannot continue a partial answer`,
    answered: false,
    modelSpecific: false,
    retrySameBackend: false,
  };
}
