/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

/**
 * Puts the built style sheet into index.html instead of linking it: a linked sheet blocks the first
 * paint for one more round trip (150 ms on a phone network), while inline the prerendered shell
 * paints as soon as the page itself has arrived. The whole sheet is a few kilobytes compressed,
 * and index.html is revalidated (304) rather than downloaded again on a return visit.
 */
function inlineStyleSheet(): Plugin {
  return {
    name: 'miaosha-inline-style-sheet',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        return html.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (link, file: string) => {
          const asset = bundle[file];
          if (!asset || asset.type !== 'asset') return link;
          delete bundle[file];
          return `<style>${String(asset.source)}</style>`;
        });
      },
    },
  };
}

/**
 * The page chunk the address needs, fetched from the start: without a hint the browser learns of
 * it only once the main script has run (React.lazy), one more round trip after a second or more
 * on a phone. The paths mirror the routes in src/App.tsx; an address not listed simply loads its
 * chunk when the app asks for it.
 */
const ROUTE_CHUNKS: [RegExp, string][] = [
  [/^\/$/, 'src/pages/Home.tsx'],
  [/^\/sales\/[^/]+\/draw$/, 'src/pages/DrawPage.tsx'],
  [/^\/sales\//, 'src/pages/SalePage.tsx'],
  [/^\/(login|signup)$/, 'src/pages/Auth.tsx'],
  [/^\/orders(\/|$)/, 'src/pages/OrderPage.tsx'],
];

function preloadRouteChunk(): Plugin {
  return {
    name: 'miaosha-preload-route-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const entry = chunks.find((c) => c.isEntry)!;
        const filesOf = (module: string) => {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(module));
          if (!chunk) throw new Error(`no chunk for ${module}: is it still loaded lazily in App.tsx?`);
          const files = new Set<string>();
          const add = (file: string) => {
            if (file === entry.fileName || files.has(file)) return;
            files.add(file);
            const c = bundle[file];
            if (c?.type === 'chunk') c.imports.forEach(add);
          };
          add(chunk.fileName);
          return [...files].map((f) => `/${f}`);
        };
        const table = ROUTE_CHUNKS.map(([path, module]) => [path.source, filesOf(module)]);
        const script = `<script>(function(t,p){for(var i=0;i<t.length;i++)if(new RegExp(t[i][0]).test(p)){t[i][1].forEach(function(f){var l=document.createElement('link');l.rel='modulepreload';l.href=f;document.head.appendChild(l)});return}})(${JSON.stringify(table)},location.pathname)</script>`;
        return html.replace('</head>', `    ${script}\n  </head>`);
      },
    },
  };
}

// `npm run dev` proxies like the nginx edge does: /api to flash-sale-api, /ws to queue-gateway.
export default defineConfig({
  plugins: [react(), tailwindcss(), inlineStyleSheet(), preloadRouteChunk()],
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      // http: the join's challenge (GET /ws/sales/{id}/challenge) goes this way too; ws: the sockets.
      '/ws': { target: 'http://127.0.0.1:8082', ws: true },
    },
  },
  build: { sourcemap: false, assetsDir: 'assets' },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
