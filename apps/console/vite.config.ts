import { defineConfig } from 'vite';

/**
 * The console is served by the upsync server at /console/ (same origin as /trpc). `npm run dev` proxies the API to a running server
 * (UPSYNC_URL, default http://127.0.0.1:8000) so that the page stays same-origin there too.
 */
export default defineConfig(({ command }) => ({
  // built: assets named relatively, so the console works under whatever path a proxy serves it
  // at (src/routes.ts finds its root at run time); the development server serves it at /console/
  base: command === 'build' ? './' : '/console/',
  // Preact's automatic JSX runtime, through Vite's own transformer: no framework plugin needed
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // one file per kind is enough for ~100 KB; no source maps shipped to operators' browsers
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: { '/trpc': process.env.UPSYNC_URL ?? 'http://127.0.0.1:8000' },
  },
}));
