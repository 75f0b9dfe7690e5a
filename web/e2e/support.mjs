// Helpers for the browser tests: start the real `xiaoan serve` on a fresh
// database, create administrator accounts with the CLI, drive Debian's
// chromium through playwright-core, and compute TOTP codes (RFC 6238).
import { spawn, execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const serverBin = resolve(process.env.XIAOAN_BIN ?? join(webDir, '..', 'build', 'xiaoan'));
export const webDist = join(webDir, 'dist');
export const chromiumPath = process.env.XIAOAN_CHROMIUM ?? '/usr/bin/chromium';
export const demoPassword = 'Demo#Pass2026x';

/** Fails early with a readable reason when the server or the built UI is missing. */
export function checkPrerequisites() {
  if (!existsSync(serverBin)) throw new Error(`server binary not found at ${serverBin}: build it first (cmake --build build) or set XIAOAN_BIN`);
  if (!existsSync(join(webDist, 'index.html'))) throw new Error(`${webDist}/index.html missing: run npm run build first`);
  if (!existsSync(chromiumPath)) throw new Error(`chromium not found at ${chromiumPath}`);
}

/**
 * Creates an account with `xiaoan user create` and returns the JSON it prints
 * ({username, password, totp_secret?}).
 */
export async function createAccount(db, { username, role, org, password }) {
  const args = ['user', 'create', '--db', db, '--username', username, '--role', role, '--org', org];
  if (password) args.push('--password', password);
  const { stdout } = await run(serverBin, args, { timeout: 30_000 });
  const line = stdout.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) throw new Error(`user create printed no JSON: ${stdout}`);
  return JSON.parse(line);
}

/**
 * Starts `xiaoan serve --demo` on a new database in a temp folder, or again on the database of
 * `dir` (a server stopped with `stop({ keep: true })`). Accounts in `accounts` are created with
 * the CLI before the server starts; `env` adds to its environment (XIAOAN_* options).
 * Returns {url, db, dir, accounts: {username: {password, totp_secret}}, stop({keep})}.
 */
export async function startServer({ accounts = [], dir: again, env = {} } = {}) {
  checkPrerequisites();
  const dir = again ?? (await mkdtemp(join(tmpdir(), 'xiaoan-e2e-')));
  const db = join(dir, 'x.db');
  const created = {};
  for (const account of accounts) created[account.username] = await createAccount(db, account);

  const child = spawn(serverBin, ['serve', '--db', db, '--port', '0', '--demo', '--web', webDist], {
    env: { ...process.env, XIAOAN_DEMO_PASSWORD: demoPassword, XIAOAN_LOG_LEVEL: process.env.XIAOAN_LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s\n${out}\n${stderr}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /xiaoan: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${out}\n${stderr}`));
    });
  });
  child.stdout.resume();

  async function stop({ keep = false } = {}) {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
  return { url, db, dir, accounts: created, stop };
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`bad base32 character ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP code (SHA-1, 30 s step) of a base32 secret at `time` ms. */
export function totp(secret, time = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** A TOTP code that stays valid for at least 5 more seconds. */
export async function freshTotp(secret) {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 200));
  return totp(secret);
}

/**
 * Launches headless chromium. Playwright refuses `--user-data-dir` in launch()
 * (that is launchPersistentContext, which allows one context only); instead
 * it gives every launch a fresh mkdtemp profile of its own and removes it on
 * close. HOME points at a fresh temp folder too, so nothing lands in ~/.config.
 */
export async function launchBrowser() {
  const home = await mkdtemp(join(tmpdir(), 'xiaoan-chromium-'));
  const options = {
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, HOME: home },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
  const browser = await chromium.launch(options).catch(async (e) => {
    await rm(home, { recursive: true, force: true });
    throw e;
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A page in a new context (own cookies and storage); page errors fail the test through `errors`. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/.test(msg.text())) errors.push(msg.text());
  });
  return { context, page, errors };
}

/** Fills the login form; when `totpSecret` is given, waits for the TOTP field and fills it too. */
export async function login(page, url, username, password, totpSecret) {
  await page.goto(`${url}/#/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('[data-test="login-submit"]').click();
  if (totpSecret) {
    await page.locator('input[name="totp"]').waitFor();
    await page.locator('input[name="totp"]').fill(await freshTotp(totpSecret));
    await page.locator('[data-test="login-submit"]').click();
  }
}

/** Waits until the page's hash route starts with `prefix` (e.g. '#/schools'). */
export async function waitForRoute(page, prefix) {
  await page.waitForFunction((p) => window.location.hash.startsWith(p), prefix, { timeout: 15_000 });
}

/** Calls the API with the page's own session cookie (GET only). */
export async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(`/api/v1${p}`, { credentials: 'same-origin' });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }, path);
}

/** Polls `fn` until it returns a truthy value or `timeout` ms pass. */
export async function eventually(fn, timeout = 10_000, interval = 200) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`condition not met in ${timeout} ms (last: ${last instanceof Error ? last.message : last})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** The number in Element Plus's pagination "共 N 条" / "Total N". */
export async function paginationTotal(page, scope = '') {
  const text = await page.locator(`${scope} .el-pagination__total`.trim()).first().textContent();
  const m = /(\d[\d,]*)/.exec(text ?? '');
  return m ? Number(m[1].replace(/,/g, '')) : NaN;
}
