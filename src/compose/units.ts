/**
 * Byte sizes as Compose reads them (docker/go-units RAMInBytes): `512`, `64m`, `1g`, `1.5GB`, `256MiB`;
 * binary multiples (k = 1024). Returns undefined when the text is not a size.
 */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*([kmgtpe]?)(i?b)?\s*$/i.exec(value);
  if (!match) return undefined;
  const power = 'bkmgtpe'.indexOf((match[2] || 'b').toLowerCase());
  return Math.trunc(Number(match[1]) * 1024 ** power);
}

/** Go's `strconv.ParseBool` plus the YAML 1.1 words Compose's casts accept (`yes`, `on`, …). */
export function parseBoolean(value: string): boolean | undefined {
  switch (value.toLowerCase()) {
    case 'true':
    case 'yes':
    case 'y':
    case 'on':
    case '1':
    case 't':
      return true;
    case 'false':
    case 'no':
    case 'n':
    case 'off':
    case '0':
    case 'f':
      return false;
    default:
      return undefined;
  }
}
