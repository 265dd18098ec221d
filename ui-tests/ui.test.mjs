// The web UI in a real browser: Debian's chromium driven by playwright-core (no browser is
// downloaded). Starts `interdict serve` on a temporary registry holding the bundled lists, two
// SDN publications of May 2022 (to compare), the example notices and a small customer book
// (so there are alerts to decide), then walks through what an analyst does: search "Maduro",
// open ofac-sdn 22790, read its designations and timeline, compare two publications, decide an
// alert. Takes the screenshots of docs/screenshots/ on the way.
//
// Environment: INTERDICT_BIN (default target/debug/interdict), CHROMIUM (default
// /usr/bin/chromium), SCREENSHOT_DIR (default docs/screenshots).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.INTERDICT_BIN || join(root, "target/debug/interdict");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = resolve(process.env.SCREENSHOT_DIR || join(root, "docs/screenshots"));

const work = mkdtempSync(join(tmpdir(), "interdict-ui-"));
const db = join(work, "registry.sqlite");
let server;
let context;
let page;
let base;
const outside = [];

// The environment of every command: this registry only, whatever the caller's INTERDICT_DB.
const env = { ...process.env, USER: "ui-test" };
delete env.INTERDICT_DB;

function cli(...args) {
  return execFileSync(bin, ["--db", db, ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitForServer(url, ms) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    if (Date.now() > until) throw new Error(`no answer from ${url} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function shot(name) {
  await page.screenshot({ path: join(shots, name), fullPage: true });
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  // The bundled lists, explicitly (so that the older publications below do not stand in for
  // them), two SDN publications a day apart (the FTO revocations of 2022-05-20), the example
  // notices, then the book: monitoring screens it at once and raises the alerts.
  cli(
    "ingest",
    "data/lists/ofac-sdn-2023-12-28",
    "data/lists/un-consolidated-2026-02-27.xml.gz",
    "testdata/ofac/sdn-history/sdn-2022-05-19.csv.gz",
    "testdata/ofac/sdn-history/sdn-2022-05-20.csv.gz",
  );
  cli("notice", "add", "examples/notices/cartel-de-los-soles.yaml", "examples/notices/tren-de-aragua.yaml", "examples/notices/sinaloa-cartel.yaml");
  const book = join(work, "customers.csv");
  writeFileSync(
    book,
    "id,name,type,dob,country\n" +
      "c-1001,Nicolas Maduro Moros,person,1962-11-23,VE\n" +
      "c-1002,Diosdado Cabello Rondon,person,,VE\n" +
      "c-1003,Jonathan Smithers,person,1980-02-14,GB\n",
  );
  cli("monitor", "add", "--input", book);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ["--db", db, "serve", "--listen", `127.0.0.1:${port}`], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForServer(`${base}/healthz`, 60_000);

  context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: browserPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1280, height: 860 },
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(20_000);
  // Nothing a page loads may come from anywhere but the server.
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url());
  });
});

after(async () => {
  if (context) await context.close();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  rmSync(work, { recursive: true, force: true });
});

test("search finds Maduro and explains the match", async () => {
  await page.goto(`${base}/`);
  const name = page.getByLabel("Name", { exact: true });
  // Type-ahead: the box's suggestion list fills as one types.
  await name.pressSequentially("Madur");
  await page.waitForFunction(() => document.querySelectorAll("#suggestions option").length > 0);
  await name.fill("Maduro");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\?q=Maduro/);
  const result = page.locator("li.match", { hasText: "MADURO MOROS, Nicolas" });
  await assert.doesNotReject(result.waitFor());
  assert.match(await result.innerText(), /ofac-sdn:22790/);
  // The best match's explanation is open: its token pairs and methods.
  assert.match(await page.locator("li.match").first().locator(".explanation").innerText(), /Token pairs/);
  await shot("search.png");
});

test("the entity page shows designations, authority and timeline", async () => {
  await page.getByRole("link", { name: "MADURO MOROS, Nicolas" }).click();
  await page.waitForURL(/\/entities\/ofac-sdn\/22790/);
  assert.equal(await page.locator("h1").innerText(), "MADURO MOROS, Nicolas");
  const designations = await page.locator("section.designations").innerText();
  assert.match(designations, /VENEZUELA/);
  assert.match(designations, /E\.O\. 13692/);
  const timeline = await page.locator("ol.timeline").innerText();
  assert.match(timeline, /2022-05-19\s+listed/);
  assert.match(await page.locator("section.facts").innerText(), /1962-11-23/);
  await shot("entity.png");
});

test("a notice shows its designations' lifecycle and its linked parties", async () => {
  // Four days after the announcement: announced, not yet in force.
  await page.goto(`${base}/entities/notice/cartel-de-los-soles?as_of=2025-11-20`);
  assert.match(await page.locator("h1").innerText(), /Cartel de los Soles/);
  const designation = page.locator("section.designation", { hasText: "FTO" });
  assert.match(await designation.innerText(), /announced, effective 2025-11-24/);
  assert.match(await designation.locator("ol.timeline").innerText(), /2025-11-16\s+announced/);
  // The graph links to the parties in the registry.
  const node = page.locator("figure.graph a.node").first();
  await assert.doesNotReject(node.waitFor());
  await shot("notice.png");
});

test("lists show publications and the diff of two of them", async () => {
  await page.getByRole("link", { name: "Lists" }).click();
  await page.waitForURL(/\/lists$/);
  const sdn = page.locator("section.list", { hasText: "ofac-sdn" }).first();
  assert.match(await sdn.innerText(), /2023-12-28/);
  await shot("lists.png");
  const pick = async (select, date) => {
    const value = await page.$$eval(
      `${select} option`,
      (options, d) => options.find((o) => o.textContent.startsWith(d))?.value,
      date,
    );
    assert.ok(value, `no ${date} publication in ${select}`);
    await page.selectOption(select, value);
  };
  await pick("#from-ofac-sdn", "2022-05-19");
  await pick("#to-ofac-sdn", "2022-05-20");
  await sdn.getByRole("button", { name: "Show changes" }).click();
  await page.waitForURL(/\/lists\/ofac-sdn\/diff/);
  assert.match(await page.locator("h1").innerText(), /What changed in ofac-sdn/);
  // 2022-05-20: the FTO designations of Kahane Chai and others were revoked.
  const changed = await page.locator("section.diff-part", { hasText: "Changed" }).innerText();
  assert.match(changed, /FTO/);
  await shot("diff.png");
});

test("an alert is decided and the decision is recorded", async () => {
  await page.getByRole("link", { name: "Alerts" }).click();
  await page.waitForURL(/\/alerts$/);
  const alert = page.locator("article.alert", { hasText: "Nicolas Maduro Moros" });
  await assert.doesNotReject(alert.waitFor());
  assert.match(await alert.innerText(), /ofac-sdn:22790/);
  await alert.getByLabel("Reason").fill("Same name, date of birth and nationality as the listed party");
  await alert.getByLabel("Your name").fill("Ana Analyst");
  await alert.getByRole("button", { name: "True match" }).click();
  await page.waitForURL(/decided=/);
  assert.match(await page.getByRole("status").innerText(), /is now true match, decided by Ana Analyst/);
  const decided = page.locator("article.alert", { hasText: "Nicolas Maduro Moros" });
  assert.match(await decided.innerText(), /true match by Ana Analyst: Same name, date of birth/);
  await shot("alerts.png");

  // The same with the keyboard alone: reason, name, then Tab to "False positive" and Enter.
  const other = page.locator("article.alert", { hasText: "Diosdado Cabello Rondon" });
  await other.getByLabel("Reason").focus();
  await page.keyboard.type("Different date of birth on the passport checked");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.name), "by");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "False positive");
  const before = page.url();
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.href !== before);
  assert.match(await page.getByRole("status").innerText(), /is now false positive, decided by Ana Analyst/);
  // The decision went through the registry call the command line uses: it is in the audit log.
  assert.match(cli("audit", "log"), /alert\.decision/);
  assert.match(cli("alerts", "--status", "true_match"), /c-1001/);
});

test("every page loaded only from the server", () => {
  assert.deepEqual(outside, []);
});
