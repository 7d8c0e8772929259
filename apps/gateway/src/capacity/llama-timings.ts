// llama.cpp's server (`vps-llm`, `llama-server`) sends no `X-Bascule-Busy-Ms`: it reports its own compute
// time in a `timings` object on its answers (tools/server/server-task.cpp, `result_timings::to_json`):
// `prompt_ms` (evaluating the prompt) + `predicted_ms` (generating the answer) is what the model spent on the
// request. A plain answer carries it at the top level; a stream on its last chunk (the usage chunk when the
// client asked for one), and, with the request option `timings_per_token`, on every chunk (running totals).

/** prompt_ms + predicted_ms of a `timings` object; undefined when either is missing or not a time. */
export function llamaComputeMs(timings: unknown): number | undefined {
  if (typeof timings !== 'object' || timings === null) return undefined;
  const { prompt_ms: prompt, predicted_ms: predicted } = timings as { prompt_ms?: unknown; predicted_ms?: unknown };
  if (!isTime(prompt) || !isTime(predicted)) return undefined;
  return prompt + predicted;
}

/** The `timings` field of a parsed answer or chunk, if it has one. */
export function timingsOf(answer: unknown): unknown {
  return typeof answer === 'object' && answer !== null ? (answer as { timings?: unknown }).timings : undefined;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
