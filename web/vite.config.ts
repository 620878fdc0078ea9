/// <reference types="vitest/config" />
// Vite build and dev server for the KAM web app, plus the Vitest set-up.
// The C++ server serves dist/ at "/" (SPA fallback) and the API under /api/v1 on the same
// origin; in development the dev server proxies /api to a locally running `kam serve`.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      // KAM_API points the dev server at another running `kam serve`.
      '/api': { target: process.env.KAM_API || 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|react-router|react-router-dom|scheduler)\//.test(id)) return 'react';
          if (/node_modules\/(@ant-design|antd|rc-[^/]+|@rc-component)\//.test(id)) return 'antd';
          // The relationship map's chart library loads only with the map (lazy chunk).
          if (/node_modules\/(echarts|zrender|echarts-for-react|size-sensor)\//.test(id)) return 'echarts';
          return 'vendor';
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    pool: 'threads',
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } },
  },
});
