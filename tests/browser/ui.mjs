// ui.mjs - the front desk's and the case manager's day in a real browser
// (see ui.sh, which starts `sws ui` and gives SWS_URL, EXISTING,
// ARTIFACTS, PROFILE). Each step appends "ok - ..." or "not ok - ..." to
// $E2E_RESULTS and saves a screenshot in ARTIFACTS.
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const URL = process.env.SWS_URL;
const EXISTING = process.env.EXISTING;
const ART = process.env.ARTIFACTS;
const RESULTS = process.env.E2E_RESULTS || '/dev/stdout';
let failed = 0;

function report(ok, what, why) {
  appendFileSync(RESULTS, `${ok ? 'ok' : 'not ok'} - browser: ${what}\n`);
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
  await page.fill('#password', `${who} browser password`);
  await Promise.all([page.waitForURL(`${URL}/`), page.click('button[type=submit]')]);
}

async function logout(page) {
  await page.goto(`${URL}/`);
  if (page.url().includes('/login')) return;
  await Promise.all([page.waitForURL(/\/login/), page.click('form[action="/logout"] button')]);
}

// the family already registered, typed again without the space
async function registerDuplicate(page) {
  await page.goto(`${URL}/register`);
  await page.selectOption('#area', '17010101');
  await page.fill('#h_name', 'ហួតសុភាព');
  await page.selectOption('#h_sex', 'F');
  await page.fill('#h_born', '1984');
  await page.click('text=Check for duplicates and register');
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

let newRegno = '';
let referral = '';

await step(page, 'the login page', '01-login.png', async () => {
  const r = await page.goto(`${URL}/`);
  check(page.url().startsWith(`${URL}/login`), 'redirected to /login');
  check(r.status() === 200, 'status 200');
  check(await page.evaluate(() => document.activeElement.id) === 'login', 'focus in the login box');
});

await step(page, 'a wrong password is refused', null, async () => {
  await page.fill('#login', 'desk');
  await page.fill('#password', 'not the password');
  await page.click('button[type=submit]');
  check(await page.locator('.notice.error').count() === 1, 'an error message');
  check(page.url().endsWith('/login'), 'still on the login page');
});

await step(page, 'front desk logs in; search box has the focus', '02-home-front-desk.png', async () => {
  await login(page, 'desk');
  check(await page.evaluate(() => document.activeElement.id) === 'q', 'focus in the search box');
  check(await page.locator('text=Today').count() > 0, "today's visits");
});

await step(page, 'register a Mongolian family with two members', '03-registered.png', async () => {
  await page.click('a[href="/register"] >> nth=0');
  await page.selectOption('#area', '17010102');
  await page.fill('#address', 'Гэр хороолол 12');
  await page.fill('#h_name', 'Сүхбаатар Болд');
  await page.selectOption('#h_sex', 'M');
  await page.fill('#h_born', '1979-03-02');
  await page.fill('#h_phone', '099 112 233');
  await page.fill('input[name=m1_name]', 'Сүхбаатар Сараа');
  await page.selectOption('select[name=m1_sex]', 'F');
  await page.fill('input[name=m1_born]', '1982');
  await page.selectOption('select[name=m1_rel]', 'spouse');
  await page.click('text=Check for duplicates and register');
  await page.waitForURL(/\/household\/KH12-/);
  newRegno = decodeURIComponent(page.url().split('/household/')[1].split('?')[0]);
  check(await page.locator('text=The household is registered.').count() === 1, 'confirmation');
  check(await page.locator('table.people >> text=Сүхбаатар Сараа').count() === 1, 'the spouse listed');
});

await step(page, 'the duplicate prompt shows the family already registered, side by side', '04-duplicates.png', async () => {
  await registerDuplicate(page);
  check(await page.locator('.card.dup').count() >= 1, 'a possible duplicate');
  check(await page.locator(`.card.dup a[href="/household/${EXISTING}"]`).count() >= 1, 'links to the existing household');
  check(await page.locator('.card.typed >> text=ហួតសុភាព').count() === 1, 'the family typed, beside it');
});

await step(page, '"this is the same family" opens the existing household', null, async () => {
  await page.click('.card.dup >> text=This is the same family: open it');
  await page.waitForURL(new RegExp(`/household/${EXISTING}`));
  check(await page.locator('text=ហួត វិសាល').count() === 1, 'the existing members');
});

await step(page, '"register anyway" needs a reason and saves for review', '05-registered-anyway.png', async () => {
  await registerDuplicate(page);
  await page.click('button:has-text("Register anyway")');
  check(page.url().endsWith('/register'), 'not sent without a reason');
  await page.fill('#force_reason', 'Different woman: other parents, other village of birth');
  await page.click('button:has-text("Register anyway")');
  await page.waitForURL(/\/household\/KH12-/);
  check(await page.locator('text=kept for a supervisor to review').count() === 1, 'kept for review');
});

await step(page, 'search by a name in Khmer lists the households', '06-search-khmer.png', async () => {
  await page.goto(`${URL}/`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'q');
  await page.keyboard.type('សុភាព');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  check(await page.locator(`a[href="/household/${EXISTING}"]`).count() >= 1, 'the existing family found');
});

await step(page, 'search by Mongolian Cyrillic name, one match goes straight to the household', null, async () => {
  await page.goto(`${URL}/`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'q');
  await page.keyboard.type('Болд');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/household/${newRegno}`));
});

await step(page, 'a scanned registration number (typed by the scanner, then Enter) opens the record', '07-household.png', async () => {
  await page.goto(`${URL}/`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'q');
  await page.keyboard.type(EXISTING);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/household/${EXISTING}`));
  check(await page.locator('#history').count() === 1, 'history section');
});

let payload = '';
await step(page, 'print the registration receipt (58 mm, 80 mm, A4 print views)', '08-receipt-58mm.png', async () => {
  await page.goto(`${URL}/household/${newRegno}`);
  await page.click('button:has-text("Print the receipt")');
  await page.waitForURL(/\/receipt\/\d+/);
  check(await page.locator('.receipt.w58 svg.qr').count() === 1, 'the receipt with its QR code');
  await page.locator('.receipt svg.qr').screenshot({ path: path.join(ART, 'qr.png') });
  const serial = page.url().split('/receipt/')[1].split('?')[0];
  await page.goto(`${URL}/receipt/${serial}?width=80`);
  check(await page.locator('.receipt.w80').count() === 1, '80 mm');
  await page.screenshot({ path: path.join(ART, '08-receipt-80mm.png'), fullPage: true });
  await page.goto(`${URL}/receipt/${serial}?width=a4`);
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(ART, '08-receipt-a4-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${URL}/receipt/${serial}?width=58`);
});

await step(page, 'the receipt\'s QR code decodes (zbarimg)', null, async () => {
  payload = execFileSync('zbarimg', ['--raw', '-q', path.join(ART, 'qr.png')]).toString().trim();
  check(payload.startsWith('SW'), `a receipt payload (${payload})`);
});

await step(page, 'a scanned receipt (typed by the scanner, then Enter) opens the household', null, async () => {
  await page.goto(`${URL}/`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'q');
  await page.keyboard.type(payload);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/household/${newRegno}`));
});

await step(page, 'an altered receipt is refused, not searched as a name', null, async () => {
  const i = Math.floor(payload.length / 2);
  const bad = payload.slice(0, i) + (payload[i] === '7' ? '8' : '7') + payload.slice(i + 1);
  await page.goto(`${URL}/search?q=${encodeURIComponent(bad)}`);
  check(await page.locator('.notice.error').count() === 1, 'refused');
});

await step(page, 'the front desk has no review queue, not even by its address', null, async () => {
  await page.goto(`${URL}/`);
  check(await page.locator('nav a[href="/review"], header a[href="/review"]').count() === 0, 'no Review link');
  const r = await page.goto(`${URL}/review`);
  check(r.status() === 403, 'status 403');
});

await step(page, 'the front desk cannot open case pages', null, async () => {
  const r = await page.goto(`${URL}/household/${EXISTING}/case`);
  check(r.status() === 403, 'status 403');
  await page.goto(`${URL}/`);
  await logout(page);
});

await step(page, 'case manager: caseload on the home page, open and assign a case', '09-case.png', async () => {
  await login(page, 'cm');
  check(await page.locator('text=My caseload').count() === 1, 'caseload');
  await page.goto(`${URL}/household/${EXISTING}/case`);
  await page.click('button:has-text("Open a case")');
  await page.waitForURL(/done=opened/);
  await page.click('form:has(input[value=assign]) button');
  await page.waitForURL(/done=assigned/);
  await page.fill('#goal_text', 'Children stay in school');
  await page.click('button:has-text("Add the goal")');
  await page.waitForURL(/done=goal/);
  await page.fill('#a_text', 'Enrol in the school feeding programme');
  await page.selectOption('#kind', 'income-support');
  await page.fill('#goal', '1');
  await page.fill('#due', '2030-01-15');
  await page.click('button:has-text("Add the action")');
  await page.waitForURL(/done=action/);
  check(await page.locator('text=Children stay in school').count() === 1, 'the goal');
  check(await page.locator('text=Enrol in the school feeding programme').count() === 1, 'the action');
});

await step(page, 'a needs assessment from the questionnaire', '10-assessment.png', async () => {
  await page.goto(`${URL}/household/${EXISTING}/assessment/new`);
  const form = page.locator('form.assessment');
  check(await form.count() === 1, 'the form');
  for (const sel of await form.locator('select').all()) {
    const values = await sel.locator('option').evaluateAll((o) => o.map((x) => x.value).filter((v) => v));
    await sel.selectOption(values.includes('no') ? 'no' : values[0]);
  }
  for (const inp of await form.locator('input[inputmode=decimal]').all()) await inp.fill('2');
  await page.fill('input[name=a_income_monthly]', '150000');
  await page.click('button:has-text("Save the assessment")');
  await page.waitForURL(/\/assessment\/\d+\?done=1/);
  check(await page.locator('text=How the score was made').count() === 1, 'the score explained');
  const answers = page.locator('table').last();
  check(await answers.locator('td', { hasText: 'Total cash income of the household last month' }).count() === 1,
        'each answer under its question, not its key');
  check(await answers.locator('td', { hasText: /^150000$/ }).count() === 1, 'a number answer shown');
  check(await answers.locator('td', { hasText: /^no$/ }).count() > 0, 'a yes/no answer shown');
  check(await page.locator('td', { hasText: /^-0$/ }).count() === 0, 'no -0 for the household');
});

await step(page, 'programme screening with reasons, and an application', '11-screening.png', async () => {
  await page.click('text=Screen for programmes');
  await page.waitForURL(/\/screening/);
  check(await page.locator('section.card').count() > 0, 'programmes screened');
  const apply = page.locator('button:has-text("Apply")');
  if (await apply.count() > 0) {
    await apply.first().click();
    await page.waitForURL(/done=1/);
    check(await page.locator('text=applied').count() > 0, 'the application');
  }
});

await step(page, 'a referral with the receiving side\'s feedback', '12-referral.png', async () => {
  await page.goto(`${URL}/household/${EXISTING}/referral/new`);
  await page.selectOption('#service', 'health');
  await page.fill('#provider', 'Angkor Chum health centre');
  await page.fill('#reason', 'Antenatal check-up');
  await page.click('button:has-text("Make the referral")');
  await page.waitForURL(/\/referral\/.*done=made/);
  referral = decodeURIComponent(page.url().split('/referral/')[1].split('?')[0]);
  await page.selectOption('#step', 'send');
  await page.click('button:has-text("Record")');
  await page.waitForURL(/done=step/);
  await page.selectOption('#step', 'accept');
  await page.fill('#feedback', 'Seen on Monday; next visit in four weeks');
  await page.click('button:has-text("Record")');
  await page.waitForURL(/done=step/);
  check(await page.locator('text=Seen on Monday').count() === 1, 'the feedback');
});

await step(page, 'take a grievance and see its timeline', '13-grievance.png', async () => {
  await page.goto(`${URL}/grievance/new?household=${EXISTING}`);
  await page.selectOption('#category', 'payment');
  await page.selectOption('#channel', 'walk-in');
  await page.fill('#text', 'The March payment did not arrive');
  await page.click('button:has-text("Record the grievance")');
  await page.waitForURL(/\/grievance\/.*done=grievance/);
  await page.selectOption('#step', 'acknowledge');
  await page.click('button:has-text("Record")');
  await page.waitForURL(/done=step/);
  check(await page.locator('ol.timeline li').count() === 2, 'two events in the timeline');
});

await step(page, 'an anonymous grievance gives a follow-up code once', null, async () => {
  await page.goto(`${URL}/grievance/new`);
  await page.check('input[name=anonymous]');
  await page.selectOption('#category', 'staff-conduct');
  await page.fill('#text', 'An official asked for money');
  await page.click('button:has-text("Record the grievance")');
  check(await page.locator('.code strong').count() === 1, 'the code shown');
});

await step(page, 'the household page shows case, plan, referral, grievance and history', '14-household-case.png', async () => {
  await page.goto(`${URL}/household/${EXISTING}`);
  for (const id of ['members', 'case', 'plan', 'referrals', 'grievances', 'history'])
    check(await page.locator(`#${id}`).count() === 1, `section ${id}`);
  check(await page.locator(`a[href="/referral/${referral}"]`).count() === 1, 'the referral');
});

await step(page, 'switch to Khmer', null, async () => {
  await page.goto(`${URL}/`);
  await page.click('form[action="/language"] button[value=km]');
  await page.waitForURL(`${URL}/`);
  check(await page.evaluate(() => document.documentElement.lang) === 'km', 'lang=km');
  check(await page.locator('text=ស្វែងរក').count() > 0, 'Khmer words on the page');
  await page.screenshot({ path: path.join(ART, '15-home-khmer.png'), fullPage: true });
  await page.goto(`${URL}/household/${EXISTING}`);
  check(await page.locator('text=ការបញ្ជូន').count() > 0, 'the household page in Khmer');
  await page.screenshot({ path: path.join(ART, '15-household-khmer.png'), fullPage: true });
  await page.click('form[action="/language"] button[value=mn]');
  await page.waitForURL(`${URL}/`);
  check(await page.evaluate(() => document.documentElement.lang) === 'mn', 'lang=mn');
  check(await page.locator('text=Өрх бүртгэх').count() > 0, 'Mongolian words on the page');
  await page.screenshot({ path: path.join(ART, '15-home-mongolian.png'), fullPage: true });
  await page.click('form[action="/language"] button[value=en]');
  await page.waitForURL(`${URL}/`);
  await logout(page);
});

await step(page, 'need-to-know: another case manager sees neither the case nor its referral, by link or by URL', '16-need-to-know.png', async () => {
  await login(page, 'cm2');
  await page.goto(`${URL}/household/${EXISTING}`);
  check(await page.locator('#members').count() === 1, 'the household itself');
  check(await page.locator('#case').count() === 0, 'no case section');
  check(await page.locator(`a[href="/household/${EXISTING}/case"]`).count() === 0, 'no link to the case');
  const r = await page.goto(`${URL}/household/${EXISTING}/case`);
  check(r.status() === 404, 'the case by URL: 404');
  check(await page.locator('text=Children stay in school').count() === 0, 'nothing of the plan');
  const f = await page.goto(`${URL}/referral/${referral}`);
  check(f.status() === 404, 'the referral by URL: 404');
  await logout(page);
});

await step(page, 'supervisor: review queues and sync status', null, async () => {
  await login(page, 'sup');
  await page.screenshot({ path: path.join(ART, '16-supervisor.png'), fullPage: true });
  check(await page.locator('text=Possible duplicates to decide: 1').count() === 1, 'one duplicate flag');
  await page.goto(`${URL}/review`);
  check(await page.locator(`a[href="/household/${EXISTING}"]`).count() >= 1, 'the pair to review');
  await page.goto(`${URL}/sync`);
  check(await page.locator('text=Changes to send').count() === 1, 'sync status');
  await page.screenshot({ path: path.join(ART, '17-sync.png'), fullPage: true });
});

await step(page, 'supervisor decides a pair: different families needs a reason, then it leaves the queue', null, async () => {
  await page.goto(`${URL}/review`);
  await page.screenshot({ path: path.join(ART, '16-review.png'), fullPage: true });
  const row = page.locator('#duplicates tbody tr', { has: page.locator('button[value="different"]') }).first();
  check(await row.locator(`a[href="/household/${EXISTING}"]`).count() === 1, 'the pair with the family registered first');
  await Promise.all([page.waitForLoadState(), row.locator('button[value="different"]').click()]);
  check(await page.locator('.notice.error', { hasText: 'say why' }).count() === 1, 'a reason is asked for');
  const row2 = page.locator('#duplicates tbody tr', { has: page.locator('button[value="different"]') }).first();
  await row2.locator('input[name="reason"]').fill('two women of the same name, seen with their papers');
  await Promise.all([page.waitForURL(/done=different/), row2.locator('button[value="different"]').click()]);
  check(await page.locator('text=will not be raised again').count() === 1, 'decided');
  check(await page.locator('text=Nothing to review.').count() === 1, 'the queue is empty');
  await page.goto(`${URL}/`);
  check(await page.locator('text=Possible duplicates to decide: 0').count() === 1, 'none left on the home page');
});

await step(page, 'reports: a table and a bar chart per indicator, small counts hidden, exact for the supervisor, Khmer, A4', null, async () => {
  await login(page, 'cm');
  const month = new Date().toISOString().slice(0, 7);
  await page.goto(`${URL}/reports?period=${month}&layer=village&area=170101`);
  check(await page.locator('h2', { hasText: 'Households registered' }).count() === 1, 'the indicator by name');
  check(await page.locator('section#households_registered svg.chart').count() === 1, 'an SVG chart, drawn by the server');
  check(await page.locator('section#households_registered table.report tbody tr').count() >= 2, 'a row per village and the total');
  check(await page.locator('section#households_registered table.report tr.total').count() === 1, 'the total row marked as such');
  check(await page.locator('text=<5').count() > 0, 'small counts hidden from the case manager');
  const rows = await page.locator('section#households_registered table.report tbody tr').count();
  check(await page.locator('section#households_registered svg.chart text').count() === 2 * (rows - 1),
        'every bar labelled inside the chart, hidden counts too');
  check(await page.locator('input[name=exact]').count() === 0, 'no exact figures for a case manager');
  check(await page.locator('section#households_registered', { hasText: '<img src=x onerror=alert(1)>' }).count() === 1,
        'an area named with markup shown as text');
  check(await page.locator('section img').count() === 0, 'and no element made of it');
  await page.goto(`${URL}/reports?period=${month}&layer=village&area=170101&exact=1`);
  check(await page.locator('text=<5').count() > 0, 'exact=1 typed in the address gives a case manager nothing more');
  await page.goto(`${URL}/reports?period=${month}&layer=village&area=170101`);
  await page.screenshot({ path: path.join(ART, '18-reports.png') }); /* the first page */
  await logout(page);
  await login(page, 'sup');
  await page.goto(`${URL}/reports?period=${month}&layer=village&area=170101&indicator=households_registered&exact=1`);
  check(await page.locator('section#households_registered td.num', { hasText: '<5' }).count() === 0, 'the supervisor sees exact figures');
  check(await page.locator('section').count() === 1, 'one indicator when one is asked for');
  await page.click('form[action="/language"] button[value=km]');
  await page.waitForURL(`${URL}/`);
  await page.goto(`${URL}/reports?period=${month}&layer=commune`);
  check(await page.locator('h2', { hasText: 'គ្រួសារដែលបានចុះឈ្មោះ' }).count() === 1, 'indicator names in Khmer');
  await page.screenshot({ path: path.join(ART, '18-reports-khmer.png') }); /* the first page */
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  check(await page.locator('header.bar').isHidden(), 'no navigation on paper');
  await page.screenshot({ path: path.join(ART, '18-reports-a4-print.png') }); /* the first page */
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1100, height: 800 });
  await page.goto(`${URL}/reports?period=2026-13`);
  /* in the officer's language: the message of cases/report.c, translated */
  check(await page.locator('.notice.error', { hasText: "'2026-13' មិនមែនជារយៈពេលទេ" }).count() === 1, 'a bad period explained, in Khmer');
  check(await page.locator('.notice.error', { hasText: 'is not a period' }).count() === 0, 'not in English');
  await page.click('form[action="/language"] button[value=en]');
  await page.waitForURL(`${URL}/`);
  await logout(page);
  await login(page, 'desk');
  const resp = await page.goto(`${URL}/reports`);
  check(resp.status() === 403, 'the front desk has no reports');
  await logout(page);
  await login(page, 'sup'); /* as the steps after expect */
});

await step(page, 'keyboard only: Tab reaches the search box and Enter searches', null, async () => {
  await page.goto(`${URL}/register`);
  check(await page.evaluate(() => document.activeElement.id) === 'h_name', 'focus in the first box');
  let n = 0;
  while (n++ < 40 && await page.evaluate(() => document.activeElement.name) !== 'q')
    await page.keyboard.press('Shift+Tab');
  check(n < 40, 'the search box is reached with the keyboard');
  await page.keyboard.type('Сараа');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/household/${newRegno}`));
});

await step(page, 'no Content-Security-Policy violations', null, async () => {
  check(cspErrors.length === 0, `no CSP errors (${cspErrors.join('; ')})`);
  await logout(page);
});

await ctx.close();
process.exit(failed ? 1 : 0);
