import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served under /admin/ by the server in production; in dev, API calls go through Vite's proxy.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: {
    // Transformed when the dev server starts, so a first visit does not wait for it.
    warmup: { clientFiles: ['./src/main.tsx'] },
    proxy: Object.fromEntries(
      ['/trpc', '/reports', '/exports'].map((path) => [
        path,
        process.env.HANDOVER_SERVER_URL ?? 'http://127.0.0.1:4000',
      ]),
    ),
  },
});
