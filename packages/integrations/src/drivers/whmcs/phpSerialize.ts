/**
 * PHP's `serialize()` of an array of custom field id -> value, base64-encoded: the form WHMCS
 * reads `customfields` in (AddClient, AddOrder). String lengths count bytes, as PHP's do.
 */
export function encodeCustomFields(fields: Record<number, string>): string {
  const entries = Object.entries(fields).map(
    ([id, value]) => `i:${Number(id)};s:${Buffer.byteLength(value, 'utf8')}:"${value}";`,
  );
  return Buffer.from(`a:${entries.length}:{${entries.join('')}}`, 'utf8').toString('base64');
}
