// mongolia.mjs - a Mongolian family's journey in a real browser with the
// UI in Mongolian (see mongolia.sh, which starts `sws ui --lang mn` with
// SWS_NOW 2026-03-01T18:30:00Z and gives SWS_URL, ARTIFACTS, PROFILE):
// register with Cyrillic names and register numbers (one refused: its date
// disagrees with the birth date), Khmer digits typed in the phone, search
// by Cyrillic name, register number and phone, times in Ulaanbaatar time
// across the date line, a case opened by the case manager of the soum, an
// assessment in tugrik explained in Mongolian with every answer shown, the
// screening's reasons in Mongolian, the receipt in Mongolian and its QR
// code decoded, and another soum's case manager kept out by URL. Each step
// appends "ok - ..." or "not ok - ..." to $E2E_RESULTS.
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const URL = process.env.SWS_URL;
const ART = process.env.ARTIFACTS;
const RESULTS = process.env.E2E_RESULTS || '/dev/stdout';
let failed = 0;

function report(ok, what, why) {
  appendFileSync(RESULTS, `${ok ? 'ok' : 'not ok'} - browser mn: ${what}\n`);
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

async function logout(page) {
  await page.goto(`${URL}/`);
  if (page.url().includes('/login')) return;
  await Promise.all([page.waitForURL(/\/login/), page.click('form[action="/logout"] button')]);
}

async function login(page, who) {
  await logout(page);
  await page.goto(`${URL}/login`);
  await page.fill('#login', who);
  await page.fill('#password', `${who} browser password`);
  await Promise.all([page.waitForURL(`${URL}/`), page.click('button[type=submit]')]);
}

// the search box, typed and sent as an officer does
async function search(page, q) {
  await page.goto(`${URL}/`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'q');
  await page.keyboard.type(q);
  await Promise.all([page.waitForURL(/\/(household|search|receipt)/), page.keyboard.press('Enter')]);
}

// the head of the family; born and nid vary
async function fillHead(page, born, nid) {
  await page.goto(`${URL}/register`);
  await page.selectOption('#area', 'MN-TO-ZM-1-A');
  await page.fill('#address', 'Эрдэнэ хэсэг, 3-р гудамж 14');
  await page.fill('#h_name', 'Болд Батбаяр');
  await page.selectOption('#h_sex', 'M');
  await page.fill('#h_born', born);
  await page.fill('#h_nid', nid);
  await page.fill('#h_phone', '០១២ ៣៤៥ ៦៧៨'); /* Khmer digits */
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

let regno = '';
let assessment = '';

await step(page, 'the login page is in Mongolian (sws ui --lang mn)', 'mn-01-login.png', async () => {
  await page.goto(`${URL}/`);
  check(page.url().startsWith(`${URL}/login`), 'redirected to /login');
  check(await page.evaluate(() => document.documentElement.lang) === 'mn', 'lang=mn');
});

await step(page, 'the front desk logs in; the home page in Mongolian', 'mn-02-home.png', async () => {
  await login(page, 'desk');
  check(await page.locator('text=Өрх бүртгэх').count() > 0, 'Mongolian words on the page');
});

await step(page, 'a register number whose date disagrees with the birth date is refused, saying so', 'mn-03-refused.png', async () => {
  await fillHead(page, '1980-04-02', 'УБ79040212');
  await page.click('form button[type=submit]:not([name=more])');
  await page.waitForLoadState();
  const err = page.locator('.notice.error');
  check(await err.count() === 1, 'an error message');
  const text = await err.innerText();
  check(text.includes('УБ79040212') && text.includes('1979-04-02') && text.includes('1980-04-02'),
        `the register number and both dates named (${text})`);
  check(!page.url().includes('/household/'), 'nothing registered');
});

await step(page, 'register the family: Cyrillic names, register numbers, a phone in Khmer digits', 'mn-04-registered.png', async () => {
  await fillHead(page, '1979-04-02', 'уб 79040212');
  await page.fill('input[name=m1_name]', 'Сараа Дорж');
  await page.selectOption('select[name=m1_sex]', 'F');
  await page.fill('input[name=m1_born]', '1982-06-15');
  await page.selectOption('select[name=m1_rel]', 'spouse');
  await page.fill('input[name=m1_nid]', 'УБ82061528');
  await page.fill('input[name=m2_name]', 'Болд Тэмүүлэн');
  await page.selectOption('select[name=m2_sex]', 'M');
  await page.fill('input[name=m2_born]', '2012-03-05');
  await page.selectOption('select[name=m2_rel]', 'child');
  await page.fill('input[name=m2_nid]', 'УБ12230515');
  await page.click('form button[type=submit]:not([name=more])');
  await page.waitForURL(/\/household\/MN01-/);
  regno = decodeURIComponent(page.url().split('/household/')[1].split('?')[0]);
  check(await page.locator('text=Өрх бүртгэгдлээ.').count() === 1, 'the confirmation in Mongolian');
  check(await page.locator('table.people >> text=Болд Тэмүүлэн').count() === 1, 'the son listed');
  check(await page.locator('text=УБ79040212').count() > 0, 'the register number as stored (upper case, no space)');
  check(await page.locator('text=012345678').count() > 0, 'the phone stored in ASCII digits');
});

await step(page, 'times in Ulaanbaatar time: 18:30 UTC on 1 March is 02:30 on 2 March', 'mn-05-household-time.png', async () => {
  await page.goto(`${URL}/household/${regno}`);
  const history = await page.locator('#history + *').innerText();
  check(history.includes('2026-03-02 02:30'), `the registration at 2026-03-02 02:30 (${history.slice(0, 200)})`);
  check(!(await page.locator('body').innerText()).includes('2026-03-01 18:30'), 'nothing in UTC');
});

await step(page, 'search by the Cyrillic name opens the family', 'mn-06-search-name.png', async () => {
  await search(page, 'Батбаяр');
  check(page.url().includes(`/household/${regno}`), `the household (${page.url()})`);
});

await step(page, 'search by the register number, typed in lower case with a space', null, async () => {
  await search(page, 'уб 79040212');
  check(page.url().includes(`/household/${regno}`), `the household (${page.url()})`);
});

await step(page, 'search by the phone typed in Khmer digits', null, async () => {
  await search(page, '០១២ ៣៤៥ ៦៧៨');
  check(page.url().includes(`/household/${regno}`), `the household (${page.url()})`);
});

await step(page, 'the case manager of the soum opens the case and takes it', 'mn-07-case.png', async () => {
  await login(page, 'cm');
  await page.goto(`${URL}/household/${regno}/case`);
  await page.click('button:has-text("Тохиолдол нээх")');
  await page.waitForURL(/done=opened/);
  await page.click('form:has(input[value=assign]) button');
  await page.waitForURL(/done=assigned/);
});

await step(page, 'the questionnaire in Mongolian, each member asked only what concerns them', 'mn-08-assessment-form.png', async () => {
  await page.goto(`${URL}/household/${regno}/assessment/new`);
  const form = page.locator('form.assessment');
  check(await form.count() === 1, 'the form');
  check(await page.locator('text=Өрхийн өнгөрсөн сарын нийт мөнгөн орлого').count() === 1, 'the income question in Mongolian');
  check(await page.locator('text=MNT').count() + await page.locator('text=төгрөг').count() > 0, 'amounts in tugrik');
  check(await form.locator('[name="a_school_attending@3"]').count() > 0, 'school asked of the son (13)');
  check(await form.locator('[name="a_school_attending@1"]').count() === 0, 'not of his father');
  check(await form.locator('[name="a_social_insurance@3"]').count() === 0, 'social insurance not asked of the son');
  check(await form.locator('[name="a_wants_training@3"]').count() === 0, 'nor vocational training (15 and over)');
  check(await form.locator('[name*="pregnan"]').count() === 0, 'no pregnancy question for anyone here');
});

const answered = [];
await step(page, 'assess in tugrik', null, async () => {
  const form = page.locator('form.assessment');
  for (const sel of await form.locator('select').all()) {
    const values = await sel.locator('option').evaluateAll((o) => o.map((x) => x.value).filter((v) => v));
    if (values.length === 0) continue;
    await sel.selectOption(values.includes('no') ? 'no' : values[0]);
    answered.push(await sel.getAttribute('name'));
  }
  for (const inp of await form.locator('input[inputmode=decimal]').all()) {
    await inp.fill('2');
    answered.push(await inp.getAttribute('name'));
  }
  await page.fill('input[name=a_income_monthly]', '600000');
  await page.fill('input[name=a_food_days_short]', '12');
  await page.click('button:has-text("Үнэлгээг хадгалах")');
  await page.waitForURL(/\/assessment\/\d+\?done=1/);
  assessment = page.url().split('/assessment/')[1].split('?')[0];
});

await step(page, 'the score explained in Mongolian, its band in Mongolian, every answer shown', 'mn-09-assessment.png', async () => {
  check(await page.locator('h2', { hasText: 'Оноо хэрхэн гарсан' }).count() === 1, 'how the score was made, in Mongolian');
  check(await page.locator('td', { hasText: 'нэг хүнд ногдох сарын орлого 300,000 төгрөгөөс бага' }).count() === 1,
        'the income rule explained in Mongolian');
  check(await page.locator('td', { hasText: 'сүүлийн 30 хоногийн 10 ба түүнээс олон өдөр хүнс хүрэлцээгүй' }).count() === 1,
        'the food rule explained in Mongolian');
  check(await page.locator('text=tugrik a month').count() === 0, 'no English explanation left');
  const facts = await page.locator('dl.facts').innerText();
  check(/бага|дунд|өндөр/.test(facts), `the band in Mongolian (${facts})`);
  check(!/\((low|moderate|high)\)/.test(facts), 'not its code');
  const answers = page.locator('table').last();
  const rows = await answers.locator('tbody tr').count();
  check(rows === answered.length, `every answer shown (${rows} rows, ${answered.length} answered)`);
  check(await answers.locator('td', { hasText: 'Өрхийн өнгөрсөн сарын нийт мөнгөн орлого' }).count() === 1,
        'each answer under its question in Mongolian');
  check(await answers.locator('td', { hasText: /^600000$/ }).count() === 1, 'the income as typed');
  const made = await page.locator('dl.facts').innerText();
  check(made.includes('2026-03-02 02:30'), 'made at 02:30 on 2 March, Ulaanbaatar time');
});

await step(page, 'screening: the rules explained in Mongolian', 'mn-10-screening.png', async () => {
  await page.goto(`${URL}/household/${regno}/screening`);
  check(await page.locator('section.card').count() > 0, 'programmes screened');
  check(await page.locator('li', { hasText: '18 хүртэлх насны хүүхэд' }).count() > 0, 'the child money rule in Mongolian');
  check(await page.locator('text=a child under 18').count() === 0, 'not in English');
});

let payload = '';
await step(page, 'the registration receipt in Mongolian, its QR code decoded (zbarimg)', 'mn-11-receipt.png', async () => {
  await page.goto(`${URL}/household/${regno}`);
  await page.click('button:has-text("Баримт хэвлэх")');
  await page.waitForURL(/\/receipt\/\d+/);
  check(await page.locator('text=Өрхийн бүртгэлийн баримт').count() > 0, 'the receipt in Mongolian');
  check(await page.locator('.receipt svg.qr').count() === 1, 'its QR code');
  await page.locator('.receipt svg.qr').screenshot({ path: path.join(ART, 'mn-qr.png') });
  payload = execFileSync('zbarimg', ['--raw', '-q', path.join(ART, 'mn-qr.png')]).toString().trim();
  check(payload.startsWith('SW'), `a receipt payload (${payload})`);
});

await step(page, 'the scanned receipt opens the household', null, async () => {
  await search(page, payload);
  check(page.url().includes(`/household/${regno}`), `the household (${page.url()})`);
});

await step(page, 'need-to-know: the case manager of another soum gets neither the case nor the assessment by URL', 'mn-12-need-to-know.png', async () => {
  await login(page, 'cm2');
  const c = await page.goto(`${URL}/household/${regno}/case`);
  check(c.status() === 404, `the case by URL: 404 (${c.status()})`);
  const a = await page.goto(`${URL}/assessment/${assessment}`);
  check(a.status() === 404, `the assessment by URL: 404 (${a.status()})`);
  check(await page.locator('text=нэг хүнд ногдох').count() === 0, 'nothing of the explanation');
  const s = await page.goto(`${URL}/household/${regno}/screening`);
  check(s.status() === 404, `the screening by URL: 404 (${s.status()})`);
  await logout(page);
});

await ctx.close();
process.exit(failed ? 1 : 0);
