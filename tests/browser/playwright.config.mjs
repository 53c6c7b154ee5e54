// End-to-end tests of the release build (dist/) in Debian's Chromium.
import { defineConfig } from '@playwright/test';

export const APP_PORT = 8123;
/** A second origin: the page that embeds the app in an iframe. */
export const HOST_PORT = 8125;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}/`,
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: `node serve.mjs ../../dist ${APP_PORT}`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node serve.mjs host ${HOST_PORT}`,
      url: `http://127.0.0.1:${HOST_PORT}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
