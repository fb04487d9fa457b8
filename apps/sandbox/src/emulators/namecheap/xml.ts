/** Namecheap's answers: an `ApiResponse` document, Status OK with a CommandResponse, or ERROR with Errors. */

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An element with attributes and no content, e.g. `<DomainDNSSetCustomResult Domain="a.com" Updated="true" />`. */
export function emptyElement(name: string, attributes: Record<string, string | number | boolean>): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  return `<${name}${attrs} />`;
}

function envelope(status: 'OK' | 'ERROR', command: string, inner: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<ApiResponse Status="${status}" xmlns="http://api.namecheap.com/xml.response">`,
    inner,
    `  <RequestedCommand>${escapeXml(command.toLowerCase())}</RequestedCommand>`,
    '  <Server>SANDBOX</Server>',
    '  <GMTTimeDifference>--5:00</GMTTimeDifference>',
    '  <ExecutionTime>0.01</ExecutionTime>',
    '</ApiResponse>',
  ].join('\n');
}

export function okResponse(command: string, type: string, body: string): string {
  return envelope(
    'OK',
    command,
    [
      '  <Errors />',
      '  <Warnings />',
      `  <CommandResponse Type="${escapeXml(type)}">`,
      `    ${body}`,
      '  </CommandResponse>',
    ].join('\n'),
  );
}

export function errorResponse(command: string, errors: [number: number, message: string][]): string {
  const items = errors.map(([number, message]) => `    <Error Number="${number}">${escapeXml(message)}</Error>`);
  return envelope('ERROR', command, ['  <Errors>', ...items, '  </Errors>', '  <Warnings />'].join('\n'));
}
