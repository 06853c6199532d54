import { describe, expect, it } from 'vitest';
import { consoleBundle } from '../../src/console/bundle.js';

describe('the console bundle', () => {
  it('stays small for a slow connection: script and style under 40 KiB compressed, every file served by us', async () => {
    const bundle = await consoleBundle();
    expect(bundle.gzipBytes.script + bundle.gzipBytes.style).toBeLessThan(40 * 1024);
    // Pages fetched when opened (webhooks, the report pages, e-mail settings, the export form) are
    // scripts of their own, not shares of the main one.
    expect(bundle.gzipBytes.lazy).toBeGreaterThan(0);
    expect(bundle.gzipBytes.lazy).toBeLessThan(16 * 1024);
    const page = bundle.assets.get('/')!.body.toString();
    // No address of another host: no CDN, no font service.
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    // The script, the style, the tab's icon, and the scripts fetched when opened.
    const scripts = [...bundle.assets.keys()].filter((path) => path.endsWith('.js'));
    expect(scripts.length).toBeGreaterThanOrEqual(7);
    expect([...bundle.assets.keys()].filter((path) => path.startsWith('/assets/'))).toHaveLength(scripts.length + 2);
    const icon = /<link rel="icon" type="image\/svg\+xml" href="(\/assets\/favicon-[\w-]+\.svg)">/.exec(page)?.[1];
    expect(bundle.assets.get(icon ?? '')?.type).toBe('image/svg+xml');
  });
});
