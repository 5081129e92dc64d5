import { CLOUD_INIT_BOUNDARY, cloudInitContentType, cloudInitMultipart } from '../../../../src/planning/templating';

interface ParsedPart {
  headers: Record<string, string>;
  body: string;
}

/** A minimal MIME multipart splitter (what cloud-init's email parser does, for our subset). */
function parseMultipart(doc: string): { headers: Record<string, string>; parts: ParsedPart[] } {
  const [head, rest] = splitHeaders(doc);
  const boundary = /boundary="([^"]+)"/.exec(head['content-type'])?.[1];
  if (!boundary) throw new Error('no boundary');
  const delimiter = `\n--${boundary}`;
  const body = `\n${rest}`;
  const end = body.indexOf(`${delimiter}--`);
  if (end < 0) throw new Error('no closing delimiter');
  const chunks = body.slice(0, end).split(delimiter).slice(1); // [0] is the preamble
  return {
    headers: head,
    parts: chunks.map((chunk) => {
      // Each chunk starts with the line break ending the delimiter line.
      const [headers, content] = splitHeaders(chunk.replace(/^\n/, ''));
      return { headers, body: content };
    }),
  };
}

function splitHeaders(text: string): [Record<string, string>, string] {
  const blank = text.indexOf('\n\n');
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, blank).split('\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return [headers, text.slice(blank + 2)];
}

describe('cloudInitMultipart', () => {
  test('no parts give empty user data; one part is passed through unchanged', () => {
    expect(cloudInitMultipart([])).toBe('');
    expect(cloudInitMultipart([{ filename: 'a.sh', content: '#!/bin/sh\necho ${x}\n' }])).toBe(
      '#!/bin/sh\necho ${x}\n',
    );
  });

  test('several parts round-trip through a MIME parser, typed by their first line', () => {
    const parts = [
      { filename: 'config.yaml', content: '#cloud-config\npackages: [haproxy]\n' },
      { filename: 'setup.sh', content: '#!/bin/bash\necho "%{ for ip in var.ips }${ip}%{ endfor }"' },
      { filename: 'urls', content: '#include\nhttps://example.com/x\n\n' },
      { filename: 'jinja', content: '## template: jinja\n#cloud-config\n' },
      { filename: 'odd "name"\n', content: 'no header, ünïcode\n' },
      { filename: 'archive', content: '#cloud-config-archive\n- type: foo\n' },
      { filename: 'x${y}', content: '#cloud-config\n' },
    ];
    const doc = cloudInitMultipart(parts);
    const parsed = parseMultipart(doc);
    expect(parsed.headers['mime-version']).toBe('1.0');
    expect(parsed.headers['content-type']).toBe(`multipart/mixed; boundary="${CLOUD_INIT_BOUNDARY}"`);
    expect(parsed.parts.map((p) => p.body)).toEqual(parts.map((p) => p.content));
    expect(parsed.parts.map((p) => p.headers['content-type'].split(';')[0])).toEqual([
      'text/cloud-config',
      'text/x-shellscript',
      'text/x-include-url',
      'text/jinja2',
      'text/x-shellscript',
      'text/cloud-config-archive',
      'text/cloud-config',
    ]);
    // Headers add no Terraform template syntax.
    expect(parsed.parts[6].headers['content-disposition']).toBe('attachment; filename="x$_y_"');
    expect(parsed.parts[0].headers['content-disposition']).toBe('attachment; filename="config.yaml"');
    expect(parsed.parts[4].headers['content-disposition']).toBe('attachment; filename="odd _name__"');
    expect(parsed.parts[4].headers['content-transfer-encoding']).toBe('8bit');
    expect(parsed.parts[0].headers['content-transfer-encoding']).toBe('7bit');
    // Deterministic, and no base64: Terraform template syntax survives verbatim.
    expect(cloudInitMultipart(parts)).toBe(doc);
    expect(doc).toContain('%{ for ip in var.ips }${ip}%{ endfor }');
  });

  test('a part containing the boundary gets a different one', () => {
    const parts = [
      { filename: 'a', content: `#!/bin/sh\necho --${CLOUD_INIT_BOUNDARY}\n` },
      { filename: 'b', content: '#cloud-config\n' },
    ];
    const parsed = parseMultipart(cloudInitMultipart(parts));
    expect(parsed.headers['content-type']).toContain(`${CLOUD_INIT_BOUNDARY}-2`);
    expect(parsed.parts.map((p) => p.body)).toEqual(parts.map((p) => p.content));
  });

  test('content types', () => {
    expect(cloudInitContentType('#cloud-boothook\n')).toBe('text/cloud-boothook');
    expect(cloudInitContentType('#include-once\n')).toBe('text/x-include-once-url');
    expect(cloudInitContentType('#part-handler\n')).toBe('text/part-handler');
    expect(cloudInitContentType('\uFEFF#cloud-config\n')).toBe('text/cloud-config');
  });
});
