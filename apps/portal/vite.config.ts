import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In dev, API calls go to the server through Vite's proxy; in production the server serves this build.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(
      ['/trpc', '/downloads', '/invoices'].map((path) => [
        path,
        process.env.HANDOVER_SERVER_URL ?? 'http://127.0.0.1:4000',
      ]),
    ),
  },
});
