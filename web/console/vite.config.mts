import { resolve } from 'path';
import { fileURLToPath } from 'url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react-swc';

const here = fileURLToPath(new URL('.', import.meta.url));

// Built into dist/console, which the embedded runtime (npm start) and the gateways serve at /.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      output: {
        // React and Mantine change less often than the screens: their own long-cached chunk.
        codeSplitting: { groups: [{ name: 'vendor', test: /node_modules[\\/](react|react-dom|react-router|scheduler|@mantine|@floating-ui)[\\/]/ }] },
      },
    },
  },
  server: {
    // `npx vite web/console` during development: the API of a running `npm start`.
    proxy: Object.fromEntries(
      ['/customers', '/products', '/orders', '/tenants', '/provisioning', '/contracts', '/contract-changes', '/billing', '/invoices', '/ops', '/dev'].map((p) => [
        p,
        { target: 'http://localhost:3000', bypass: (req: { headers: { accept?: string } }) => (req.headers.accept?.includes('text/html') ? '/index.html' : undefined) },
      ]),
    ),
  },
});
