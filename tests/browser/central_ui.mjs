// central_ui.mjs - the registry officers' day in a real browser (see
// central_ui.sh, which starts `sws central ui` and gives SWS_URL, PW, the
// households RA RB (province 17's pair) and RC RD (province 18's), the
// grievances TA (province 17) and TC (province 18), ARTIFACTS, PROFILE).
// Each step appends "ok - ..." or "not ok - ..." to $E2E_RESULTS and saves
// a screenshot in ARTIFACTS.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const URL = process.env.SWS_URL;
const PW = process.env.PW;
const { RA, RB, RC, RD, TA, TC } = process.env;
const ART = process.env.ARTIFACTS;
const RESULTS = process.env.E2E_RESULTS || '/dev/stdout';
let failed = 0;

function report(ok, what, why) {
  appendFileSync(RESULTS, `${ok ? 'ok' : 'not ok'} - browser (registry): ${what}\n`);
  if (!ok) {
    failed++;
    console.error(`not ok - ${what}: ${why}`);
  }
}

function check(cond, what) {
  if (!cond) throw new Error(`expected: ${what}`);
}

async function step(page, what, shot, fn) {
  try {
    await fn();
    report(true, what);
  } catch (e) {
    report(false, what, e && e.stack ? e.stack : String(e));
  }
  if (shot) {
    try {
      await page.screenshot({ path: path.join(ART, shot), fullPage: true });
    } catch (e) {
      console.error(`screenshot ${shot}: ${e}`);
    }
  }
}

async function login(page, who) {
  await page.goto(`${URL}/login`);
  if (!page.url().includes('/login')) {
    await logout(page);
    await page.goto(`${URL}/login`);
  }
  await page.fill('#login', who);
  await page.fill('#password', PW);
  await Promise.all([page.waitForURL(`${URL}/duplicates`), page.click('button[type=submit]')]);
}

async function logout(page) {
  await page.goto(`${URL}/duplicates`);
  if (page.url().includes('/login')) return;
  await Promise.all([page.waitForURL(/\/login/), page.click('form[action="/logout"] button')]);
}

// The hrefs of every link of the page.
async function links(page) {
  return page.evaluate(() => [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')));
}

// POST a form of this page's CSRF token to action, as a forged link
// would; the answer's status.
async function postWithToken(page, action, fields) {
  return page.evaluate(async ([a, f]) => {
    const csrf = document.querySelector('input[name=csrf]').value;
    const body = new URLSearchParams({ csrf, ...f });
    const r = await fetch(a, { method: 'POST', body, redirect: 'manual' });
    return r.status;
  }, [action, fields]);
}

const ctx = await chromium.launchPersistentContext(process.env.PROFILE, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1100, height: 800 },
});
const page = ctx.pages()[0] || await ctx.newPage();
page.setDefaultTimeout(5000);
const cspErrors = [];
page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });

await step(page, 'the login page, in the office UI\'s look', 'r01-login.png', async () => {
  const r = await page.goto(`${URL}/`);
  check(page.url().startsWith(`${URL}/login`), 'redirected to /login');
  check(r.status() === 200, 'status 200');
  check(await page.locator('header.bar .brand').count() === 1, 'the header bar');
});

await step(page, 'a wrong password is refused', null, async () => {
  await page.fill('#login', 'p17');
  await page.fill('#password', 'not the password at all');
  await page.click('button[type=submit]');
  check(await page.locator('.notice.error').count() === 1, 'an error message');
});

// ---- a province officer ----

await step(page, 'province officer: their province\'s pair, never another\'s', 'r02-province-duplicates.png', async () => {
  await login(page, 'p17');
  check(await page.locator('text=province officer').count() === 1, 'the role in the bar');
  check(await page.locator(`text=${RA}`).count() > 0, 'the pair of province 17');
  check(await page.locator(`text=${RC}`).count() === 0, 'no household of province 18');
  check((await links(page)).every((h) => !h.includes(RC) && !h.includes(RD)), 'no link to province 18\'s pair');
  await page.goto(`${URL}/duplicates?all=1`);
  check(await page.locator(`text=${RC}`).count() === 0, 'nor among decided pairs');
});

await step(page, 'province officer: another province\'s pair by its address is not found', 'r03-province-404.png', async () => {
  const r = await page.goto(`${URL}/duplicates/${RC}/${RD}`);
  check(r.status() === 404, `404 (got ${r.status()})`);
  check(await page.locator('text=Chan Thida').count() === 0, 'nothing of it shown');
  const r2 = await page.goto(`${URL}/duplicates/${RD}/${RC}`);
  check(r2.status() === 404, 'either way round');
  const r3 = await page.goto(`${URL}/offices/KH14`);
  check(r3.status() === 404, 'nor its office');
});

await step(page, 'province officer: a forged decision on another province\'s pair is refused', null, async () => {
  await page.goto(`${URL}/duplicates`);
  const st = await postWithToken(page, `/duplicates/${RC}/${RD}/merge`, {});
  check(st === 404, `404 (got ${st})`);
});

await step(page, 'province officer: the pair side by side, decided different families', 'r04-pair.png', async () => {
  await page.goto(`${URL}/duplicates`);
  await Promise.all([page.waitForURL(/\/duplicates\/.+\/.+/), page.click('text=Compare >> nth=0')]);
  check(await page.locator(`th:has-text("${RA}")`).count() === 1, 'household A');
  check(await page.locator(`th:has-text("${RB}")`).count() === 1, 'household B');
  check(await page.locator('text=Sok Dara Kon').count() === 2, 'the members of both');
  await page.fill('#reason', 'two mothers of the same name, checked at both villages');
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Different families")')]);
  check(await page.locator('text=Decided.').count() === 1, 'confirmation');
  check(await page.locator('text=two mothers of the same name').count() === 1, 'the reason kept');
});

await step(page, 'province officer: the decision undone', 'r05-undone.png', async () => {
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Undo: review again")')]);
  check(await page.locator('text=Same family: merge').count() === 1, 'open again');
});

await step(page, 'province officer: their grievance queue, never another province\'s', 'r06-province-grievances.png', async () => {
  await page.click('a[href="/grievances"]');
  check(await page.locator(`text=${TA}`).count() === 1, 'province 17\'s grievance');
  check(await page.locator(`text=${TC}`).count() === 0, 'not province 18\'s');
  const st = await postWithToken(page, `/grievances/${TC}`, { step: 'acknowledged' });
  check(st === 404, `another province's grievance by its address: 404 (got ${st})`);
  await page.selectOption('select[name=step]', 'acknowledged');
  await Promise.all([page.waitForURL(/done=1/), page.click('text=Record')]);
  check(await page.locator('td:has-text("acknowledged")').count() === 1, 'acknowledged');
});

await step(page, 'province officer: conflicts are read, not decided', null, async () => {
  await page.click('a[href="/conflicts"]');
  check(await page.locator('text=Only a national officer').count() === 1, 'says who decides');
  await logout(page);
});

// ---- a district officer ----

await step(page, 'district officer: their district\'s offices and pair only', 'r07-district.png', async () => {
  await login(page, 'd1701');
  check(await page.locator('text=district officer').count() === 1, 'the role in the bar');
  check(await page.locator(`text=${RA}`).count() > 0, 'the pair with a household of 1701');
  await page.click('a[href="/offices"]');
  check(await page.locator('a[href="/offices/KH12"]').count() === 1, 'KH12 (1701)');
  check(await page.locator('a[href="/offices/KH13"]').count() === 0, 'not KH13 (1712)');
  const r = await page.goto(`${URL}/offices/KH13`);
  check(r.status() === 404, 'KH13 by its address: 404');
  await logout(page);
});

// ---- a national officer ----

await step(page, 'national officer: every pair and office', 'r08-national.png', async () => {
  await login(page, 'nat');
  check(await page.locator(`text=${RA}`).count() > 0 && await page.locator(`text=${RC}`).count() > 0, 'both provinces\' pairs');
  await page.click('a[href="/offices"]');
  for (const o of ['KH12', 'KH13', 'KH14', 'KH15'])
    check(await page.locator(`a[href="/offices/${o}"]`).count() === 1, `office ${o}`);
  await page.click('a[href="/offices/KH14"]');
  check(await page.locator('text=Last push').count() === 1, 'its sync state');
});

await step(page, 'national officer: merges province 18\'s pair and undoes it', 'r09-national-merge.png', async () => {
  await page.goto(`${URL}/duplicates/${RC}/${RD}`);
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Same family: merge")')]);
  check(await page.locator('text=Undo the merge').count() === 1, 'merged, with its undo');
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Undo the merge")')]);
  check(await page.locator('text=Same family: merge').count() === 0, 'no longer merged');
});

await step(page, 'no Content-Security-Policy violations', null, async () => {
  check(cspErrors.length === 0, `no CSP errors (${cspErrors.join('; ')})`);
  await logout(page);
});

await ctx.close();
process.exit(failed ? 1 : 0);
