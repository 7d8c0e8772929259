// llm: the production model's answer against the MVP's for the same messages. Whether it is French
// (french.ts), its length against the MVP's (min(r, 1/r)), whether it answered at all (not empty, not a
// refusal) and, for a structured prompt (`response_format` json_object or json_schema), whether it parses
// as JSON. Agreement, which the quality criterion counts: the answer is usable where the MVP's was, that
// is French (or undecided), answered, parses when JSON was asked, and within half to twice the MVP's length.
import type { ChatCompletionRequest, ChatCompletionResponse } from '@bascule/contracts';
import { closeness } from './closeness.ts';
import { answerLanguage } from './french.ts';
import type { ShadowScore } from './scores.ts';

/** A refusal opens the answer ("Je ne peux pas…", "Désolé, mais…", "I'm sorry…"). */
const REFUSAL = /^\W*(je ne (peux|suis pas en mesure)|je suis (désolée?|navrée?)|désolée?,? (mais|je)|en tant qu['’](ia|assistant)|i('m| am) sorry|i can(not|['’]t)|as an ai)/iu;

export function compareChat(request: Pick<ChatCompletionRequest, 'response_format'>, mvp: ChatCompletionResponse, production: ChatCompletionResponse): ShadowScore[] {
  const mvpText = answerText(mvp);
  const text = answerText(production);
  const language = answerLanguage(text);
  const answered = text.trim() !== '' && !REFUSAL.test(text.trim());
  const length = closeness(text.trim().length, mvpText.trim().length);
  const structured = request.response_format !== undefined && request.response_format.type !== 'text';
  const parses = structured ? parsesAsJson(text) : null;
  const scores: ShadowScore[] = [
    { measure: 'answered', value: answered ? 1 : 0 },
    { measure: 'length-ratio', value: length },
  ];
  if (language !== 'unknown') scores.push({ measure: 'french', value: language === 'fr' ? 1 : 0 });
  if (parses !== null) scores.push({ measure: 'json-valid', value: parses ? 1 : 0 });
  const agrees = language !== 'other' && answered && parses !== false && length >= 0.5;
  scores.push({ measure: 'agreement', value: agrees ? 1 : 0 });
  return scores;
}

export function answerText(response: ChatCompletionResponse): string {
  return response.choices[0]?.message.content ?? '';
}

/** Parses as JSON; a Markdown ```json fence around it is tolerated (models add one). */
export function parsesAsJson(text: string): boolean {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/u, '$1');
  try {
    JSON.parse(unfenced);
    return true;
  } catch {
    return false;
  }
}
