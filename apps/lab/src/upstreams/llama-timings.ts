// llama.cpp server's `timings` object (tools/server/server-task.cpp, `result_timings::to_json`), the way
// `llama-server` reports how long the model computed: on a plain chat completion at the top level, in a
// stream on the last chunk. The lab splits its configured service time between the prompt and the answer.

/**
 * Evaluating a prompt token costs about a twentieth of generating one on a GPU (the prompt goes through in
 * batches, the answer one token at a time): the share of the service time each part gets.
 */
const PROMPT_TOKEN_COST = 1 / 20;

export interface LlamaTimings {
  cache_n: number;
  prompt_n: number;
  prompt_ms: number;
  prompt_per_token_ms: number;
  prompt_per_second: number;
  predicted_n: number;
  predicted_ms: number;
  predicted_per_token_ms: number;
  predicted_per_second: number;
}

/** The timings of an answer of `predictedN` tokens to a prompt of `promptN`, `busyMs` in all. */
export function llamaTimings(promptN: number, predictedN: number, busyMs: number): LlamaTimings {
  const promptWeight = promptN * PROMPT_TOKEN_COST;
  const total = promptWeight + predictedN;
  const promptMs = total > 0 ? (busyMs * promptWeight) / total : 0;
  const predictedMs = busyMs - promptMs;
  return {
    cache_n: 0,
    prompt_n: promptN,
    prompt_ms: promptMs,
    prompt_per_token_ms: perToken(promptMs, promptN),
    prompt_per_second: perSecond(promptN, promptMs),
    predicted_n: predictedN,
    predicted_ms: predictedMs,
    predicted_per_token_ms: perToken(predictedMs, predictedN),
    predicted_per_second: perSecond(predictedN, predictedMs),
  };
}

const perToken = (ms: number, n: number): number => (n > 0 ? ms / n : 0);
const perSecond = (n: number, ms: number): number => (ms > 0 ? (1000 * n) / ms : 0);
