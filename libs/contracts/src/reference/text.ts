const NUL = '\u0000';
/** Anything that may be a NUL or a surrogate: the cheap test every string gets. */
// eslint-disable-next-line no-control-regex -- finding the NUL character is the point
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one: not text (Postgres and e-mail refuse it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a piece of text a client sent, if anything: a NUL, or half of a surrogate pair. */
export function textProblem(text: string): { code: string; message: string } | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes(NUL)) return { code: 'noNulCharacter', message: 'must not contain the NUL character (U+0000)' };
  if (LONE_SURROGATE.test(text)) return { code: 'wellFormedText', message: 'must be well-formed Unicode text (it holds half of a UTF-16 surrogate pair)' };
  return null;
}

/**
 * Whether any key or string of a JSON value may not be text: the cheap walk every payload gets (no
 * paths, no allocations but the stack), so a valid payload pays a few hundred nanoseconds.
 */
function mayHoldMalformedText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (SUSPECT.test(next)) return true;
    } else if (next !== null && typeof next === 'object') {
      if (Array.isArray(next)) {
        for (let i = 0; i < next.length; i++) stack.push(next[i]);
      } else {
        for (const key in next) {
          if (SUSPECT.test(key)) return true;
          stack.push((next as Record<string, unknown>)[key]);
        }
      }
    }
  }
  return false;
}

/**
 * The first key or string in a JSON value that is not text, with where it is (`lines[0].sku`), or
 * null. Walked without recursion, so a deeply nested value costs no stack.
 */
export function malformedTextIn(value: unknown): { field: string; code: string; message: string } | null {
  if (!mayHoldMalformedText(value)) return null;
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const next = stack.pop() as { value: unknown; path: string };
    if (typeof next.value === 'string') {
      const problem = textProblem(next.value);
      if (problem) return { field: next.path, ...problem };
    } else if (Array.isArray(next.value)) {
      next.value.forEach((item, i) => stack.push({ value: item, path: `${next.path}[${i}]` }));
    } else if (next.value !== null && typeof next.value === 'object') {
      for (const [key, item] of Object.entries(next.value)) {
        const at = next.path ? `${next.path}.${key}` : key;
        const problem = textProblem(key);
        if (problem) return { field: at, code: problem.code, message: `a key ${problem.message}` };
        stack.push({ value: item, path: at });
      }
    }
  }
  return null;
}
