// A small JSON Schema (2020-12) validator for test/check.test.ts, covering exactly the keywords
// `assetloss schema` prints. An unknown keyword throws, so a schema that grows a keyword this
// does not check cannot pass a test by being half-read.

export type JsonSchema = boolean | { [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'description', 'title', 'default', 'examples']);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The reasons `value` does not satisfy `schema` (empty: it does). */
export function validate(schema: JsonSchema, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const errors: string[] = [];
  const s = schema;
  for (const [k, rule] of Object.entries(s)) {
    if (ANNOTATIONS.has(k)) continue;
    switch (k) {
      case 'type': {
        const t = typeOf(value);
        const types = Array.isArray(rule) ? rule : [rule];
        if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) errors.push(`${path}: expected ${types.join('|')}, got ${t}`);
        break;
      }
      case 'enum':
        if (!(rule as unknown[]).some((x) => x === value)) errors.push(`${path}: not one of ${JSON.stringify(rule)}`);
        break;
      case 'const':
        if (rule !== value) errors.push(`${path}: not ${JSON.stringify(rule)}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < (rule as number)) errors.push(`${path}: shorter than ${rule}`);
        break;
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > (rule as number)) errors.push(`${path}: longer than ${rule}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(rule as string, 'u').test(value)) errors.push(`${path}: does not match ${rule}`);
        break;
      case 'format':
        break; // an annotation in 2020-12 unless asserted
      case 'minimum':
        if (typeof value === 'number' && value < (rule as number)) errors.push(`${path}: below ${rule}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (rule as number)) errors.push(`${path}: above ${rule}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= (rule as number)) errors.push(`${path}: not above ${rule}`);
        break;
      case 'exclusiveMaximum':
        if (typeof value === 'number' && value >= (rule as number)) errors.push(`${path}: not below ${rule}`);
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (rule as number)) errors.push(`${path}: fewer than ${rule} items`);
        break;
      case 'maxItems':
        if (Array.isArray(value) && value.length > (rule as number)) errors.push(`${path}: more than ${rule} items`);
        break;
      case 'prefixItems':
        if (Array.isArray(value)) (rule as JsonSchema[]).forEach((sub, n) => n < value.length && errors.push(...validate(sub, value[n], `${path}[${n}]`)));
        break;
      case 'items':
        if (Array.isArray(value)) {
          const from = Array.isArray(s.prefixItems) ? s.prefixItems.length : 0;
          value.slice(from).forEach((v, n) => errors.push(...validate(rule as JsonSchema, v, `${path}[${n + from}]`)));
        }
        break;
      case 'properties':
        if (typeOf(value) === 'object') {
          for (const [p, sub] of Object.entries(rule as Record<string, JsonSchema>)) {
            if (Object.hasOwn(value as object, p)) errors.push(...validate(sub, (value as Record<string, unknown>)[p], `${path}.${p}`));
          }
        }
        break;
      case 'additionalProperties':
        if (typeOf(value) === 'object') {
          const known = new Set(Object.keys((s.properties ?? {}) as object));
          for (const [p, v] of Object.entries(value as object)) if (!known.has(p)) errors.push(...validate(rule as JsonSchema, v, `${path}.${p}`));
        }
        break;
      case 'required':
        if (typeOf(value) === 'object') for (const p of rule as string[]) if (!Object.hasOwn(value as object, p)) errors.push(`${path}: missing ${p}`);
        break;
      case 'dependentRequired':
        if (typeOf(value) === 'object') {
          for (const [p, needs] of Object.entries(rule as Record<string, string[]>)) {
            if (Object.hasOwn(value as object, p)) for (const n of needs) if (!Object.hasOwn(value as object, n)) errors.push(`${path}: ${p} needs ${n}`);
          }
        }
        break;
      case 'anyOf':
        if (!(rule as JsonSchema[]).some((sub) => validate(sub, value, path).length === 0)) errors.push(`${path}: matches none of anyOf`);
        break;
      case 'oneOf': {
        const n = (rule as JsonSchema[]).filter((sub) => validate(sub, value, path).length === 0).length;
        if (n !== 1) errors.push(`${path}: matches ${n} of oneOf, not 1`);
        break;
      }
      case 'allOf':
        for (const sub of rule as JsonSchema[]) errors.push(...validate(sub, value, path));
        break;
      default:
        throw new Error(`json-schema.ts does not know the keyword ${k} (at ${path})`);
    }
  }
  return errors;
}
