// Drives the admin console in Debian's Chromium against a running Sentinel and fails on any
// console error in the page. Started by ConsoleBrowserIT, which creates a binding through
// the proxy first and checks the proxy's answers between the steps.
//
// Environment:
//   SENTINEL_URL            base URL, such as http://127.0.0.1:8016
//   SENTINEL_ADMIN_PASSWORD the admin password
//   SENTINEL_KEY_HASH       token hash of a binding created by real proxy traffic
//   SENTINEL_KEY            that key, to try the pasted-key look-up (optional)
//   SENTINEL_CLIENT_IP      the address that binding was created from (127.0.0.2)
//   SENTINEL_SCREENSHOTS    folder for screenshots and the exported CSV
//   SENTINEL_LOCKOUT_TRIES  wrong passwords until the lockout (optional; 0 skips that step)
//   CHROMIUM                the browser (/usr/bin/chromium)
//
// Between steps it prints "@@ <event> <detail>" and, for "@@ banned", waits for a line
// "continue" on standard input: the caller sends a proxied request meanwhile.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

import { chromium } from 'playwright-core'

const base = required('SENTINEL_URL').replace(/\/$/, '')
const password = required('SENTINEL_ADMIN_PASSWORD')
const keyHash = required('SENTINEL_KEY_HASH')
const pastedKey = process.env.SENTINEL_KEY ?? ''
const clientIp = process.env.SENTINEL_CLIENT_IP ?? '127.0.0.2'
const shots = process.env.SENTINEL_SCREENSHOTS ?? 'target/console-e2e'
const lockoutTries = Number(process.env.SENTINEL_LOCKOUT_TRIES ?? '0')
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium'
const ui = `${base}/admin/ui/`
const STEP_TIMEOUT = 20_000

mkdirSync(shots, { recursive: true })
const input = createInterface({ input: process.stdin })
const lines = input[Symbol.asyncIterator]()
let passed = 0
let failed = 0

function required(name) {
  const value = process.env[name]
  if (!value) {
    console.error(`missing environment variable ${name}`)
    process.exit(2)
  }
  return value
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message)
  }
}

async function waitFor(event) {
  console.log(`@@ ${event}`)
  const { value, done } = await lines.next()
  check(!done && value.trim() === 'continue', `expected "continue" after ${event}, got ${value}`)
}

/** Records console errors and uncaught exceptions; `allowed` lists expected resource errors. */
function watch(page, errors, allowed = []) {
  page.on('console', (message) => {
    if (message.type() === 'error' && !allowed.some((pattern) => pattern.test(message.text()))) {
      errors.push(`console: ${message.text()} at ${message.location().url}`)
    }
  })
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true })
}

async function step(name, page, action) {
  const started = Date.now()
  try {
    await action()
    passed++
    console.log(`ok - ${name} (${Date.now() - started} ms)`)
  } catch (error) {
    failed++
    console.log(`not ok - ${name}: ${error.message}`)
    await page
      .screenshot({ path: join(shots, `failed-${name.replace(/\W+/g, '-')}.png`) })
      .catch(() => {})
    throw error
  }
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
const errors = []
// Resource errors the current step expects (a refused token is answered 401, which the
// browser logs as an error); empty everywhere else.
const expected = []
let exitCode = 0
try {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  })
  context.setDefaultTimeout(STEP_TIMEOUT)
  const page = await context.newPage()
  watch(page, errors, expected)
  const hashPrefix = keyHash.substring(0, 12)
  const row = () =>
    page.locator(`[data-test=bindings-table] .el-table__body tr`).filter({ hasText: hashPrefix })

  await step('an unknown visitor lands on the login page', page, async () => {
    await page.goto(`${ui}bindings`)
    await page.waitForURL(/\/admin\/ui\/login\?redirect=/)
    await page.locator('[data-test=password]').waitFor()
    await shot(page, '01-login')
  })

  await step('the admin logs in and returns to the page asked for', page, async () => {
    await page.locator('[data-test=password]').fill(password)
    await page.locator('[data-test=login]').click()
    await page.waitForURL(/\/admin\/ui\/bindings$/)
    const stored = await page.evaluate(() => ({
      session: Object.keys(sessionStorage),
      local: Object.keys(localStorage),
    }))
    check(stored.session.includes('sentinel.admin.session'), 'the token is in sessionStorage')
    check(stored.local.length === 0, `nothing in localStorage, found ${stored.local}`)
  })

  await step('the dashboard shows totals, the chart and the stores', page, async () => {
    await page.locator('.el-menu-item', { hasText: 'Dashboard' }).click()
    await page.waitForURL(/\/dashboard$/)
    const total = page.locator('[data-test=total-bindings] .value')
    await total.waitFor()
    check(Number(await total.innerText()) >= 1, 'at least one binding is counted')
    await page.locator('[data-test=intercepts-chart] canvas').waitFor()
    const postgres = await page.locator('[data-test=store-postgresql]').innerText()
    check(postgres.trim() === 'up', `PostgreSQL shown up, was ${postgres}`)
    await shot(page, '02-dashboard')
  })

  await step('the binding made by proxy traffic is found by its hash prefix', page, async () => {
    await page.locator('.el-menu-item', { hasText: 'Bindings' }).click()
    await page.locator('[data-test=binding-search-field]').click()
    await page.locator('.el-select-dropdown__item', { hasText: 'Hash prefix' }).click()
    await page.locator('[data-test=binding-search]').fill(hashPrefix)
    await page.locator('[data-test=binding-search-go]').click()
    await row().waitFor()
    const text = await row().innerText()
    check(text.includes(`${clientIp}/32`), `bound to ${clientIp}/32: ${text}`)
    check(text.includes('active'), `active: ${text}`)
    await shot(page, '03-bindings')
  })

  await step('the rule editor refuses host bits and saves valid rules', page, async () => {
    await row().locator('[data-test=edit-rules]').click()
    const dialog = page
      .locator('.el-dialog')
      .filter({ has: page.locator('[data-test=rules-input]') })
    await dialog.waitFor()
    await dialog.locator('[data-test=rules-input]').fill(`${clientIp}/32\n10.0.0.1/24`)
    await dialog.locator('[data-test=rules-save]').click()
    await dialog.locator('.el-form-item__error', { hasText: '10.0.0.0/24' }).waitFor()
    await shot(page, '04-rules-invalid')
    await dialog.locator('[data-test=rules-input]').fill(`${clientIp}/32\n10.0.0.0/8`)
    await dialog.locator('[data-test=rules-save]').click()
    await dialog.waitFor({ state: 'hidden' })
    await row().locator('.el-tag', { hasText: '10.0.0.0/8' }).waitFor()
    await row().locator('.el-tag', { hasText: 'set by admin' }).waitFor()
  })

  await step('a note is shown as text, never as markup', page, async () => {
    await row().locator('[data-test=more]').click()
    await page.locator('[data-test=edit-note]:visible').click()
    const note = '<img src=x onerror=alert(1)> resold on a forum'
    await page.locator('[data-test=note-input]').fill(note)
    await page.locator('[data-test=note-save]').click()
    await row().getByText(note, { exact: true }).waitFor()
    check((await page.locator('img[src=x]').count()) === 0, 'the note was rendered as HTML')
  })

  await step('banning asks for confirmation in plain text, then bans', page, async () => {
    await row().locator('[data-test=ban]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    check((await box.innerText()).includes('403'), 'the confirmation explains the ban')
    await shot(page, '05-ban-confirm')
    await box
      .locator(
        '.el-message-box__btns .el-button--danger, .el-message-box__btns .el-button--primary',
      )
      .last()
      .click()
    await row().locator('[data-test=binding-status-tag]', { hasText: 'banned' }).waitFor()
    await row().locator('[data-test=unban]').waitFor()
    await shot(page, '06-banned')
  })

  await waitFor(`banned ${keyHash}`)

  if (pastedKey !== '') {
    await step('a pasted key is looked up without being shown', page, async () => {
      await page.locator('[data-test=open-key-tools]').click()
      await page.locator('[data-test=pasted-key]').fill(pastedKey)
      await page.locator('[data-test=key-lookup]').click()
      const result = page.locator('[data-test=key-result]')
      await result.waitFor()
      check((await result.innerText()).includes('is bound'), 'the key is reported bound')
      const body = await page.locator('body').innerText()
      check(!body.includes(pastedKey.substring(3)), 'the key never appears on the page')
      await shot(page, '07-key-lookup')
      await page.keyboard.press('Escape')
      await page.locator('[data-test=pasted-key]').waitFor({ state: 'hidden' })
    })
  }

  await step('the intercept log shows the refused request, filtered', page, async () => {
    await page.locator('.el-menu-item', { hasText: 'Audit logs' }).click()
    await page.waitForURL(/\/audit$/)
    await page.locator('[data-test=intercept-ip]').fill(clientIp)
    await page.locator('[data-test=intercept-reason]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^banned$/ }).click()
    await page.locator('[data-test=intercept-search]').click()
    const hit = page
      .locator('[data-test=intercepts-table] .el-table__body tr')
      .filter({ hasText: hashPrefix })
    await hit.first().waitFor()
    check((await hit.first().innerText()).includes(clientIp), 'the client address is shown')
    const reasons = await page.locator('[data-test=intercept-reason-tag]').allInnerTexts()
    check(
      reasons.length > 0 && reasons.every((reason) => reason.trim() === 'banned'),
      `only banned: ${reasons}`,
    )
    await shot(page, '08-audit-intercepts')
  })

  await step('the filtered log is exported as CSV through the API', page, async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test=export-csv]').click(),
    ])
    check(
      /^sentinel-intercepts-\d{8}-\d{6}\.csv$/.test(download.suggestedFilename()),
      download.suggestedFilename(),
    )
    const file = join(shots, 'intercepts.csv')
    await download.saveAs(file)
    const csv = readFileSync(file, 'utf8')
    const [header, ...rows] = csv.trim().split(/\r?\n/)
    check(header.includes('tokenHash') && header.includes('reason'), `CSV header: ${header}`)
    check(
      rows.length >= 1 && rows.every((line) => line.includes(keyHash) && line.includes('banned')),
      csv,
    )
    console.log(`@@ exported ${rows.length} rows`)
  })

  await step('the admin action audit lists the ban', page, async () => {
    await page.locator('.el-tabs__item', { hasText: 'Admin actions' }).click()
    const table = page.locator('[data-test=audit-table]')
    await table.locator('.el-table__body tr', { hasText: 'binding.banned' }).first().waitFor()
    await table
      .locator('.el-table__body tr', { hasText: 'binding.rules_replaced' })
      .first()
      .waitFor()
    await shot(page, '09-audit-actions')
  })

  await step('a live setting is changed and shown as set by the admin', page, async () => {
    await page.locator('.el-menu-item', { hasText: 'Settings' }).click()
    const field = page.locator('[data-test=input-alertThresholdCount] input')
    await field.waitFor()
    const source = page.locator('[data-test=source-alertThresholdCount]')
    check(
      (await source.innerText()).trim() === 'environment',
      'the environment gives the value first',
    )
    await field.fill('7')
    await field.press('Tab')
    await page.locator('[data-test=settings-apply]').click()
    await page.locator('.el-message--success', { hasText: 'Alert threshold' }).waitFor()
    await source.filter({ hasText: 'admin' }).waitFor()
    await page
      .locator('[data-test=setting-alertThresholdCount]', { hasText: 'Environment: 5' })
      .waitFor()
    await shot(page, '10-settings')
    console.log('@@ setting alertThresholdCount 7')
  })

  await step('an out-of-range setting is refused in the form, not clamped', page, async () => {
    // The number field used to turn 0 days into 1 (archive after a day) and say "Applied".
    const field = page.locator('[data-test=input-archiveDays] input')
    await field.fill('0')
    await field.press('Tab')
    await page.locator('[data-test=settings-apply]').click()
    await page
      .locator('[data-test=setting-archiveDays] .el-form-item__error')
      .waitFor({ timeout: 5000 })
    check((await field.inputValue()) === '0', 'the typed value stays as typed')
    const source = page.locator('[data-test=source-archiveDays]')
    check((await source.innerText()).trim() === 'environment', 'nothing was applied')
    await page.goto(page.url())
    await page.locator('[data-test=input-archiveDays] input').waitFor()
  })

  await step('the console speaks Chinese when asked', page, async () => {
    await page.locator('[data-test=language]').click()
    await page.locator('[data-test=language-zh-cn]:visible').click()
    await page.locator('.el-menu-item', { hasText: '设置' }).waitFor()
    await page.locator('[data-test=source-alertThresholdCount]', { hasText: '管理员' }).waitFor()
    await shot(page, '11-settings-zh')
    await page.locator('[data-test=language]').click()
    await page.locator('[data-test=language-en]:visible').click()
    await page.locator('.el-menu-item', { hasText: 'Settings' }).waitFor()
  })

  await step('a deep link survives a reload within the session', page, async () => {
    await page.goto(`${ui}audit`)
    await page.locator('[data-test=audit-page]').waitFor()
  })

  await step('a refused token returns to the login page, which says why', page, async () => {
    expected.push(/status of 401/)
    await page.evaluate(() => {
      const stored = JSON.parse(sessionStorage.getItem('sentinel.admin.session'))
      sessionStorage.setItem(
        'sentinel.admin.session',
        JSON.stringify({ ...stored, token: `${stored.token}x` }),
      )
    })
    await page.goto(`${ui}bindings`)
    await page.waitForURL(/\/login\?redirect=.*expired=1/)
    await page.locator('[data-test=login-notice]', { hasText: 'session has ended' }).waitFor()
    expected.pop()
    await page.locator('[data-test=password]').fill(password)
    await page.locator('[data-test=login]').click()
    await page.waitForURL(/\/admin\/ui\/bindings$/)
  })

  await step('logging out ends the session', page, async () => {
    await page.locator('[data-test=logout]').click()
    await page.waitForURL(/\/login/)
    const stored = await page.evaluate(() => sessionStorage.getItem('sentinel.admin.session'))
    check(stored === null, 'the token is gone')
    await page.goto(`${ui}settings`)
    await page.waitForURL(/\/login\?redirect=/)
    await shot(page, '12-logged-out')
  })

  check(errors.length === 0, `console errors:\n${errors.join('\n')}`)

  if (lockoutTries > 0) {
    // Wrong passwords are answered 401 and then 429: the browser logs those loads as
    // errors, which are expected here and only here.
    const lockedPage = await context.newPage()
    const lockoutErrors = []
    watch(lockedPage, lockoutErrors, [/status of 40[1]/, /status of 429/])
    await step(
      'too many wrong passwords lock the login with the time left',
      lockedPage,
      async () => {
        await lockedPage.goto(`${ui}login`)
        let status = 0
        for (let i = 0; i <= lockoutTries && status !== 429; i++) {
          await lockedPage.locator('[data-test=password]').fill(`wrong-${i}`)
          const [response] = await Promise.all([
            lockedPage.waitForResponse((r) => r.url().endsWith('/admin/api/login')),
            lockedPage.locator('[data-test=login]').click(),
          ])
          status = response.status()
        }
        check(
          status === 429,
          `locked out after ${lockoutTries} wrong passwords, last status ${status}`,
        )
        await lockedPage.locator('[data-test=login-notice]', { hasText: 'Try again in' }).waitFor()
        const notice = await lockedPage.locator('[data-test=login-notice]').innerText()
        check(
          /Try again in \d+ (min \d\d s|s)/.test(notice),
          `lockout message with time left: ${notice}`,
        )
        check(await lockedPage.locator('[data-test=login]').isDisabled(), 'the form is locked')
        await shot(lockedPage, '13-login-locked')
      },
    )
    check(lockoutErrors.length === 0, `console errors:\n${lockoutErrors.join('\n')}`)
  }
} catch (error) {
  exitCode = 1
  console.log(`FAILED: ${error.message}`)
} finally {
  await browser.close()
  input.close()
}
if (errors.length > 0 && exitCode === 0) {
  exitCode = 1
  console.log(`FAILED: console errors:\n${errors.join('\n')}`)
}
writeFileSync(join(shots, 'result.txt'), `${passed} passed, ${failed} failed\n`)
console.log(`console e2e: ${passed} passed, ${failed} failed`)
process.exit(exitCode)
