import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { findTooDeepJsonText } from '../src/gateway/jsonTextDepth.js';
import { checkRequestLimits, DEFAULT_MAX_REQUEST_DEPTH } from '../src/router/requestLimits.js';
import type { NeutralMessage, NeutralRequest, NeutralTool } from '../src/transports/neutral.js';
import { gc, nsPerOp, round } from './measure.js';

/**
 * The cost of the request-limit checks (issue 10, item 2), which run on every call:
 *
 * - the library's `checkRequestLimits` on a typical agent request of about 30 KB (a system
 *   prompt, a dozen messages with tool calls and results, eight tools with nested schemas),
 *   next to `JSON.stringify` of the same request, which the SDK does on every call anyway;
 * - the gateway's scan of the same request as wire JSON, next to the `JSON.parse` it precedes;
 * - the attack: a body nested a million levels deep, scanned (refused after 128 levels) versus
 *   what `JSON.parse` alone would cost in time and heap.
 */

const words = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i % 7}`).join(' ');

function tool(i: number): NeutralTool {
  return {
    name: `tool_${i}`,
    description: words(30, 'describes'),
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: words(12, 'path') },
        mode: { type: 'string', enum: ['read', 'write', 'append'] },
        options: {
          type: 'object',
          properties: {
            recursive: { type: 'boolean' },
            filters: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, value: { type: 'string' } }, required: ['field'] } },
          },
        },
      },
      required: ['path'],
    },
  };
}

/** A deterministic agent request of about 30 KB of JSON. */
export function typicalRequest(): NeutralRequest {
  const messages: NeutralMessage[] = [];
  for (let i = 0; i < 6; i++) {
    messages.push({ role: 'user', content: [{ type: 'text', text: words(135, 'please') }] });
    messages.push({ role: 'assistant', content: [{ type: 'text', text: words(20, 'ok') }, { type: 'tool_call', id: `call_${i}`, name: `tool_${i % 8}`, input: { path: `src/file${i}.ts`, options: { recursive: true, filters: [{ field: 'name', value: 'x' }] } } }] });
    messages.push({ role: 'user', content: [{ type: 'tool_result', toolCallId: `call_${i}`, content: words(260, 'line') }] });
  }
  return { system: words(600, 'system'), messages, maxTokens: 4096, tools: Array.from({ length: 8 }, (_, i) => tool(i)), stream: true };
}

export async function requestLimitsBench() {
  const request = typicalRequest();
  const json = JSON.stringify(request);
  const flat = Buffer.from(json).toString(); // a flat string, as a body read from a socket is
  let sink = 0;
  const checkNs = nsPerOp(20_000, (n) => {
    for (let i = 0; i < n; i++) checkRequestLimits(request);
  });
  const stringifyNs = nsPerOp(20_000, (n) => {
    for (let i = 0; i < n; i++) sink += JSON.stringify(request).length;
  });
  const scanNs = nsPerOp(20_000, (n) => {
    for (let i = 0; i < n; i++) sink += findTooDeepJsonText(flat, DEFAULT_MAX_REQUEST_DEPTH) === undefined ? 1 : 0;
  });
  const parseNs = nsPerOp(20_000, (n) => {
    for (let i = 0; i < n; i++) sink += (JSON.parse(flat) as NeutralRequest).maxTokens;
  });

  const levels = 1_000_000;
  const deep = Buffer.from(`{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"t","parameters":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}]}`).toString();
  const deepScanNs = nsPerOp(2_000, (n) => {
    for (let i = 0; i < n; i++) sink += findTooDeepJsonText(deep, DEFAULT_MAX_REQUEST_DEPTH)?.length ?? 0;
  });
  gc();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const parsed: unknown = JSON.parse(deep);
  const deepParseMs = performance.now() - start;
  const deepParseHeapMiB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  sink += parsed === undefined ? 0 : 1;
  if (sink === 0) console.log('');

  return {
    requestBytes: Buffer.byteLength(json),
    checkRequestLimitsMicroseconds: round(checkNs / 1000, 1),
    stringifyMicroseconds: round(stringifyNs / 1000, 1),
    gatewayScanMicroseconds: round(scanNs / 1000, 1),
    gatewayParseMicroseconds: round(parseNs / 1000, 1),
    deepBody: { levels, bytes: Buffer.byteLength(deep), scanMicroseconds: round(deepScanNs / 1000, 1), parseMs: round(deepParseMs, 0), parseHeapMiB: round(deepParseHeapMiB, 0) },
  };
}

// Run alone (`node --expose-gc --import tsx bench/requestLimits.bench.ts`): measures and merges
// its figures into bench/results.json, leaving the other suites' figures as they are.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const requestLimits = await requestLimitsBench();
  console.log(JSON.stringify(requestLimits, null, 2));
  const requestLimitsMachine = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, date: new Date().toISOString().slice(0, 10) };
  writeFileSync(file, `${JSON.stringify({ ...previous, requestLimits: { ...requestLimits, machine: requestLimitsMachine } }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
