/**
 * `llm-health-router/testing`: a fake LLM backend on 127.0.0.1 that speaks the Anthropic Messages
 * and OpenAI Chat Completions APIs and fails on command, for tests of code that embeds the router.
 *
 * @module
 */
export {
  FAKE_PATHS,
  FakeBackend,
  faults,
  type FakeBackendOptions,
  type FakeFault,
  type FakeRequest,
  type FaultPlan,
  type FakeToolCall,
  type StartedFakeBackend,
  type WireApi,
} from './fakeBackend.js';
