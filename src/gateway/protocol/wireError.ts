/**
 * A request the gateway refuses before routing it, as the lead's server turns it into either
 * protocol's error body ({@link openAiError} takes `param`, {@link anthropicError} does not).
 * `param` is the JSON path of the offending field, so a client can point at it.
 *
 * @example
 * ```ts
 * const error: WireError = { status: 400, message: 'temperature: expected a number from 0 to 2, got 3', param: 'temperature' };
 * res.writeHead(error.status).end(JSON.stringify(openAiError(error.status, error.message, { param: error.param })));
 * ```
 */
export interface WireError {
  readonly status: number;
  readonly message: string;
  readonly param?: string;
}
