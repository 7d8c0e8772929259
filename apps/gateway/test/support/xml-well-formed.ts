// A small XML well-formedness check for the SVG the quality benchmark writes (no XML parser in the
// dependencies): one root element, tags nested and closed in order, attributes quoted and unique, text
// without a bare `<` or an `&` that is not an entity. Returns the problems found (empty when well-formed).

const NAME = '[A-Za-z_][\\w.:-]*';
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=`, 'g');
const ENTITY = /&(?:lt|gt|amp|apos|quot|#\d+|#x[0-9a-fA-F]+);/y;

export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let i = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0;
  while (i < text.length && problems.length === 0) {
    const c = text[i]!;
    if (c === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(text);
      if (!m) {
        problems.push(`malformed tag at ${i}: ${text.slice(i, i + 30)}`);
        break;
      }
      const [whole, closing, name, attributes, selfClosing] = m;
      const names = [...attributes!.matchAll(ATTRIBUTE)].map((a) => a[1]);
      if (new Set(names).size !== names.length) problems.push(`<${name}>: an attribute appears twice`);
      if (closing) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      } else {
        if (stack.length === 0) roots += 1;
        if (!selfClosing) stack.push(name!);
      }
      i += whole.length;
    } else if (c === '&') {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(text)) problems.push(`bare & at ${i}`);
      i = ENTITY.lastIndex || i + 1;
    } else {
      if (stack.length === 0 && c.trim() !== '') problems.push(`text outside the root element at ${i}`);
      i += 1;
    }
  }
  if (problems.length === 0 && stack.length > 0) problems.push(`<${stack.at(-1)}> is never closed`);
  if (problems.length === 0 && roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return problems;
}
