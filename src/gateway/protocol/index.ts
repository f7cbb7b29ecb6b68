/**
 * The gateway's wire protocols, server side: client requests (OpenAI Chat Completions,
 * Anthropic Messages) read into neutral requests, neutral responses written back as JSON bodies
 * or SSE streams, and error bodies in each protocol's envelope. Pure functions; the HTTP server
 * calls them.
 */
export type { WireError } from './wireError.js';
export type { ParsedRequest } from './parsedRequest.js';
export { parseOpenAiChatRequest, DEFAULT_MAX_TOKENS } from './parseOpenAiChatRequest.js';
export { parseAnthropicMessagesRequest } from './parseAnthropicMessagesRequest.js';
export { openAiChatCompletion } from './openAiChatCompletion.js';
export { anthropicMessage } from './anthropicMessage.js';
export { toOpenAiFinishReason, toAnthropicStopReason } from './wireStopReason.js';
export { createOpenAiChatStream, type OpenAiChatStream } from './openAiChatStream.js';
export { createAnthropicStream, type AnthropicStream } from './anthropicStream.js';
export { openAiError, openAiErrorDefaults } from './openAiError.js';
export { anthropicError, anthropicErrorType, isAnthropicErrorType, type AnthropicErrorType } from './anthropicError.js';
export { modelsList } from './modelsList.js';
