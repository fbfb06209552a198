// Drives the Jobs dashboard in Debian's Chromium as an admin would: with --user and --password, is sent to the
// sign-in page and signs in first; looks at the overview and the failed jobs, retries one failed job with its
// Retry button and waits on the job's page (reloading, as a person would) until it has Succeeded; then signs
// out. Takes full-page screenshots in the light and the dark colour scheme and on a phone-sized screen.
// Started by Jobs.Tests/Browser/DashboardBrowserTests.cs:
//
//   node dashboard-e2e.mjs --url http://127.0.0.1:PORT/jobs --job JOB_ID --screenshots DIR [--chromium /usr/bin/chromium]
//                          [--user NAME --password PASSWORD]
//
// Prints one JSON object on its last line of stdout: { ok, failures: [..], screenshots: [..], flash, checks: [..] }.
// Exit code 0 when every check passed, 1 when one failed, 2 for bad arguments.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = parseArgs(process.argv.slice(2));
if (!args.url || !args.job || !args.screenshots) {
  console.error('usage: node dashboard-e2e.mjs --url <dashboard url> --job <job id> --screenshots <dir> [--chromium <path>]');
  process.exit(2);
}

const base = args.url.replace(/\/+$/, '');
const jobId = args.job;
const shotsDir = args.screenshots;
const executablePath = args.chromium ?? '/usr/bin/chromium';
const user = args.user ?? null;
const password = args.password ?? null;
let signedIn;                     // the signed-in browser state (cookies) every later part starts with
const waitMs = 30_000;            // for one element to appear (two busy cores can be slow)
const succeededWithinMs = 90_000; // for the retried job to show Succeeded
mkdirSync(shotsDir, { recursive: true });

const result = { ok: false, failures: [], screenshots: [], checks: [], flash: null };

/** A required element: waits for it to be visible, else stops the scenario naming what is missing and where. */
class Missing extends Error {}
async function need(page, locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: waitMs });
  } catch {
    throw new Missing(`missing on ${page.url()}: ${what}`);
  }
  result.checks.push(what);
  return locator.first();
}

function check(condition, what) {
  if (condition) {
    result.checks.push(what);
  } else {
    result.failures.push(what);
  }
}

async function shot(page, name) {
  const path = join(shotsDir, name + '.png');
  await page.screenshot({ path, fullPage: true });
  result.screenshots.push(path);
}

/** The page's own background, to tell the dark scheme from the light one. */
async function backgroundLuminance(page) {
  const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? ['255', '255', '255']).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** Horizontal scrolling of the whole page on a narrow screen: the layout does not fit. */
async function overflowsHorizontally(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** Whether the element lies within the screen's width (a table scrolled sideways hides what is beyond it). */
async function inViewportWidth(page, locator) {
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= page.viewportSize().width;
}

function failedRow(page) {
  return page.locator('tbody tr').filter({ has: page.locator(`a:text-is("#${jobId}")`) });
}

/** A fresh context and page for one part of the scenario; when the part fails, a screenshot shows where. */
async function withPage(browser, name, options, part) {
  const context = await browser.newContext(signedIn ? { ...options, storageState: signedIn } : options);
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  try {
    await part(page);
  } catch (error) {
    await shot(page, `failure-${name}`).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
}

async function lookAround(browser, scheme) {
  await withPage(browser, `desktop-${scheme}`, { colorScheme: scheme, viewport: { width: 1280, height: 800 } }, async page => {
    await page.goto(base + '/', { waitUntil: 'load' });
    await need(page, page.locator('h1', { hasText: 'Overview' }), `${scheme}: the overview's heading`);
    const failedCard = await need(page, page.locator('a.card.failed [data-stat=failed]'), `${scheme}: the Failed counter on the overview`);
    check(Number((await failedCard.textContent()).replace(/\D/g, '')) >= 1, `${scheme}: the Failed counter counts the failed job`);
    const luminance = await backgroundLuminance(page);
    check(scheme === 'dark' ? luminance < 0.3 : luminance > 0.7, `${scheme}: the page is drawn in the ${scheme} scheme (background luminance ${luminance.toFixed(2)})`);
    await need(page, page.locator('[data-live-caption]', { hasText: /in the last \d+ s/ }),
      `${scheme}: the live graph says what finished in the last seconds`);
    await shot(page, `overview-${scheme}`);

    await (await need(page, page.locator('nav a', { hasText: 'Failed' }), `${scheme}: the Failed link in the navigation`)).click();
    await need(page, page.locator('h1', { hasText: 'Failed jobs' }), `${scheme}: the Failed page's heading`);
    const row = await need(page, failedRow(page), `${scheme}: job #${jobId} in the failed list`);
    await need(page, row.getByRole('button', { name: 'Retry', exact: true }), `${scheme}: the Retry button of job #${jobId}`);
    await shot(page, `failed-${scheme}`);

    await row.locator(`a:text-is("#${jobId}")`).click();
    await need(page, page.locator('h1', { hasText: `Job #${jobId}` }), `${scheme}: the heading of job #${jobId}'s page`);
    await need(page, page.locator('h1 .state', { hasText: 'Failed' }), `${scheme}: job #${jobId} shown as Failed`);
    await need(page, page.getByText('InvalidOperationException').first(), `${scheme}: the job's exception`);
    await shot(page, `job-failed-${scheme}`);
  });
}

async function onPhone(browser, scheme) {
  const phone = { colorScheme: scheme, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  await withPage(browser, `phone-${scheme}`, phone, async page => {
    await page.goto(base + '/', { waitUntil: 'load' });
    await need(page, page.locator('h1', { hasText: 'Overview' }), `phone ${scheme}: the overview's heading`);
    check(!(await overflowsHorizontally(page)), `phone ${scheme}: the overview fits the screen's width`);
    await shot(page, `phone-overview-${scheme}`);
    await page.goto(base + '/failed', { waitUntil: 'load' });
    await need(page, failedRow(page), `phone ${scheme}: job #${jobId} in the failed list`);
    check(!(await overflowsHorizontally(page)), `phone ${scheme}: the failed list fits the screen's width`);
    const retryButton = failedRow(page).getByRole('button', { name: 'Retry', exact: true });
    check(await retryButton.isVisible() && await inViewportWidth(page, retryButton), `phone ${scheme}: the Retry button is on screen without scrolling sideways`);
    await shot(page, `phone-failed-${scheme}`);
    await page.goto(`${base}/job/${jobId}`, { waitUntil: 'load' });
    await need(page, page.locator('h1', { hasText: `Job #${jobId}` }), `phone ${scheme}: the heading of job #${jobId}'s page`);
    check(!(await overflowsHorizontally(page)), `phone ${scheme}: the job's page fits the screen's width`);
    await shot(page, `phone-job-failed-${scheme}`);
  });
}

async function retry(browser) {
  await withPage(browser, 'retry', { colorScheme: 'light', viewport: { width: 1280, height: 800 } }, async page => {
    await page.goto(base + '/failed', { waitUntil: 'load' });
    const row = await need(page, failedRow(page), `job #${jobId} in the failed list before the retry`);
    const button = await need(page, row.getByRole('button', { name: 'Retry', exact: true }), `the Retry button of job #${jobId}`);
    await button.click();
    const flash = await need(page, page.locator('.flash[role=status]'), 'the message saying what the retry did');
    result.flash = (await flash.textContent()).trim();
    check(!(await flash.evaluate(e => e.classList.contains('flash-error'))), `the retry was accepted (message: ${result.flash})`);

    // The server performs the job when it gets to it; a person reloads the job's page until it is done.
    await page.goto(`${base}/job/${jobId}`, { waitUntil: 'load' });
    const deadline = Date.now() + succeededWithinMs;
    let state = null;
    while (true) {
      state = (await page.locator('h1 .state').first().textContent({ timeout: waitMs }).catch(() => null))?.trim() ?? null;
      if (state === 'Succeeded' || Date.now() > deadline) {
        break;
      }
      await page.waitForTimeout(1000);
      await page.reload({ waitUntil: 'load' });
    }
    if (state !== 'Succeeded') {
      throw new Missing(`job #${jobId}'s page still shows ${state ?? 'no state'} ${succeededWithinMs / 1000} s after the retry, not Succeeded`);
    }
    result.checks.push(`job #${jobId}'s page shows Succeeded after the retry`);
    await need(page, page.getByText('Succeeded on a later attempt'), "the job's result on its page");
    await need(page, page.locator('td .state', { hasText: 'Failed' }), 'the failed attempt in the history');
    await need(page, page.getByText('Last exception'), 'the earlier failure under "Last exception"');
    await shot(page, 'job-succeeded-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    check(await backgroundLuminance(page) < 0.3, "dark: the job's page follows the dark scheme");
    await shot(page, 'job-succeeded-dark');
  });
}

/** Opens the failed jobs while signed out: the dashboard sends the browser to its sign-in page, and back after it. */
async function signIn(browser) {
  const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  try {
    await page.goto(base + '/failed', { waitUntil: 'load' });
    await need(page, page.locator('h1', { hasText: 'Sign in' }), 'the sign-in page for a visitor who is not signed in');
    check(new URL(page.url()).pathname.endsWith('/login'), `the browser was sent to the sign-in page (${page.url()})`);
    await shot(page, 'sign-in-light');
    await page.getByLabel('Name').fill(user);
    await page.getByLabel('Password').fill(password + '-wrong');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await need(page, page.getByText('Wrong name or password.'), 'a wrong password is refused with a message');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await need(page, page.locator('h1', { hasText: 'Failed jobs' }), 'signed in, the browser is back on the failed jobs');
    await need(page, page.locator('.signed-in', { hasText: user }), `the header says ${user} is signed in`);
    signedIn = await context.storageState();
  } catch (error) {
    await shot(page, 'failure-sign-in').catch(() => {});
    throw error;
  } finally {
    await context.close();
  }

  // How the sign-in page looks in the dark and on a phone.
  for (const [name, options] of [
    ['sign-in-dark', { colorScheme: 'dark', viewport: { width: 1280, height: 800 } }],
    ['phone-sign-in-light', { colorScheme: 'light', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
  ]) {
    const other = await browser.newContext(options);
    try {
      const page = await other.newPage();
      await page.goto(base + '/', { waitUntil: 'load' });
      await need(page, page.locator('h1', { hasText: 'Sign in' }), `${name}: the sign-in page`);
      check(!(await overflowsHorizontally(page)), `${name}: the sign-in page fits the screen's width`);
      await shot(page, name);
    } finally {
      await other.close();
    }
  }
}

/** Signs out with the header's button: the sign-in page says so, and the dashboard asks for a sign-in again. */
async function signOut(browser) {
  await withPage(browser, 'sign-out', { colorScheme: 'light', viewport: { width: 1280, height: 800 } }, async page => {
    await page.goto(base + '/', { waitUntil: 'load' });
    await (await need(page, page.getByRole('button', { name: 'Sign out', exact: true }), 'the Sign out button')).click();
    await need(page, page.getByText('You are signed out.'), 'the sign-in page says the user is signed out');
    await page.goto(base + '/failed', { waitUntil: 'load' });
    await need(page, page.locator('h1', { hasText: 'Sign in' }), 'after signing out, the dashboard asks for a sign-in again');
  });
}

let browser;
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    // Without these Chromium reaches for the network at start and stalls on a closed machine.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
} catch (error) {
  result.failures.push(`Chromium (${executablePath}) did not start: ${error.message.split('\n')[0]}`);
}

if (browser) {
  try {
    if (user) {
      await signIn(browser);
    }
    for (const scheme of ['light', 'dark']) {
      await lookAround(browser, scheme);
      await onPhone(browser, scheme);
    }
    await retry(browser);
    if (user) {
      await signOut(browser);
    }
  } catch (error) {
    result.failures.push(error instanceof Missing ? error.message : `unexpected error: ${error.stack ?? error}`);
  } finally {
    await browser.close();
  }
}

result.ok = result.failures.length === 0;
process.stdout.write('\n' + JSON.stringify(result) + '\n');
process.exit(result.ok ? 0 : 1);

function parseArgs(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      console.error(`bad argument: ${argv[i]}`);
      process.exit(2);
    }
    parsed[argv[i].slice(2)] = argv[i + 1];
  }
  return parsed;
}
