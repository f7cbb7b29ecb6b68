import type { ClassifiedFailure } from '../classify/failure.js';

/**
 * A client's streamed answer as the gateway delivers it: the text already sent (what a
 * continuation must carry on from) and the failure that interrupted it, if one did.
 *
 * @example
 * ```ts
 * const stream = new ClientStream((delta, model) => res.write(writerFor(model).text(delta)));
 * stream.write('Hel', 'qwen3:32b'); stream.sent; // 'Hel'
 * ```
 */
export class ClientStream {
  sent = '';
  /** The first failure of a backend after part of the answer was out: what the client is told if nothing can continue. */
  interruptedBy: ClassifiedFailure | undefined;

  /** @param deliver sends a delta; `model` is the model of the backend streaming it (the first one opens the client's stream). */
  constructor(private readonly deliver: (delta: string, model: string) => void) {}

  write(delta: string, model: string): void {
    if (delta === '') return;
    this.deliver(delta, model);
    this.sent += delta;
  }
}
