import { describe, expect, it } from 'vitest';
import { consoleBundle } from '../../src/console/bundle.js';

describe('the console bundle', () => {
  it('stays small for a slow connection: script and style under 40 KiB compressed, every file served by us', async () => {
    const bundle = await consoleBundle();
    expect(bundle.gzipBytes.script + bundle.gzipBytes.style).toBeLessThan(40 * 1024);
    const page = bundle.assets.get('/')!.body.toString();
    // No address of another host: no CDN, no font service.
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    // The script, the style and the tab's icon.
    expect([...bundle.assets.keys()].filter((path) => path.startsWith('/assets/'))).toHaveLength(3);
    const icon = /<link rel="icon" type="image\/svg\+xml" href="(\/assets\/favicon-[\w-]+\.svg)">/.exec(page)?.[1];
    expect(bundle.assets.get(icon ?? '')?.type).toBe('image/svg+xml');
  });
});
