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

/**
 * A boolean written as a string, as Compose casts it: `true`/`false` in any case, and the YAML 1.1
 * words `y`, `yes`, `on`, `n`, `no`, `off` (accepted with a warning: `legacy` is true).
 */
export function parseBoolean(value: string): { value: boolean; legacy: boolean } | undefined {
  switch (value.toLowerCase()) {
    case 'true':
      return { value: true, legacy: false };
    case 'false':
      return { value: false, legacy: false };
    case 'y':
    case 'yes':
    case 'on':
      return { value: true, legacy: true };
    case 'n':
    case 'no':
    case 'off':
      return { value: false, legacy: true };
    default:
      return undefined;
  }
}
