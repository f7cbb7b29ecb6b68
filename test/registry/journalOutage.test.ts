import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classifierOptionsFrom,
  createHealthRouter,
  fileJournal,
  loadRouterConfig,
  memoryJournal,
  openHealthRegistry,
  VirtualClock,
  type HealthFact,
  type Journal,
  type RouterNotice,
} from '../../src/index.js';
import { FakeBackend, faults, type FaultPlan, type StartedFakeBackend } from '../../src/testing/index.js';
import { sdkTransport } from '../../src/transports/index.js';
import { ask, facadeWithFallback, T0 } from '../e2e/harness.js';

/** Why this process may not mount a tmpfs (it needs root with CAP_SYS_ADMIN; CI runners and containers often lack it), found by trying once. */
function mountRefusal(): string | undefined {
  if (process.platform !== 'linux') return `mount is tried on Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a read-only tmpfs needs root';
  const probe = mkdtempSync(join(tmpdir(), 'lhr-mount-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', probe]);
    if (mounted.status !== 0) return `this machine refuses to mount a tmpfs (${mounted.error?.message ?? mounted.stderr.toString().trim()})`;
    spawnSync('umount', [probe]);
    return undefined;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const MOUNT_REFUSED = mountRefusal();

interface Unwritable {
  readonly name: string;
  readonly code: string;
  /** Why it cannot run here (then the test says so and is skipped). */
  readonly skip?: string;
  /** Makes the unwritable place in `dir` and returns the journal path (and an undo, for a mount). */
  make(dir: string): Promise<{ path: string; undo?: () => void }>;
}

/**
 * Real faults, no mocks. Tests run as root here, so a chmod'ed folder would still be writable;
 * these are places the kernel itself refuses. /dev/full works everywhere; the read-only mount
 * needs a machine that lets the test mount (it says so and is skipped where it cannot).
 */
const UNWRITABLE: Unwritable[] = [
  {
    name: 'a full disk (the journal is /dev/full)',
    code: 'ENOSPC',
    make: async (dir) => {
      const path = join(dir, 'health.jsonl');
      await symlink('/dev/full', path);
      return { path };
    },
  },
  {
    name: 'a read-only folder (a tmpfs mounted read-only)',
    code: 'EROFS',
    ...(MOUNT_REFUSED ? { skip: MOUNT_REFUSED } : {}),
    make: async (dir) => {
      const mountPoint = join(dir, 'ro');
      mkdirSync(mountPoint);
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mountPoint]);
      if (mounted.status !== 0) throw new Error(`mount refused (${mounted.stderr.toString().trim()}): this test needs a machine that may mount a tmpfs`);
      return { path: join(mountPoint, 'health.jsonl'), undo: () => void spawnSync('umount', [mountPoint]) };
    },
  },
];

describe('library: an unwritable journal changes no call', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function server(plan: FaultPlan): Promise<StartedFakeBackend> {
    const started = await new FakeBackend({ fallback: plan }).start();
    cleanups.push(() => started.close());
    return started;
  }

  /** Runs the same three turns on a router over `journal`; returns what a user and an operator would see. */
  async function threeTurns(journal: Journal, primaryUrl: string, fallbackUrl: string) {
    const config = loadRouterConfig(facadeWithFallback(primaryUrl, fallbackUrl, ['title_generation', 'compression']), { env: {} });
    const clock = new VirtualClock(T0);
    const registry = await openHealthRegistry({ journal, clock, policy: config.health, random: () => 0.5 });
    const router = await createHealthRouter({ config, transport: sdkTransport({ classify: classifierOptionsFrom(config.health) }), registry, activeProbes: false, limits: { timeoutMs: 5_000 } });
    const notices: RouterNotice[] = [];
    const facts: HealthFact[] = [];
    router.notices$.subscribe((n) => notices.push(n));
    registry.events$.subscribe((f) => facts.push(f));
    const answers: unknown[] = [];
    const text = (reply: unknown) => (reply as { text?: string }).text ?? reply;

    const t1 = router.startTurn();
    answers.push(text(await t1.main(ask('hi'))), text(await t1.title(ask('title?'))), text(await t1.auxiliary('compression', ask('compress'))));
    t1.end();
    clock.advanceBy(5_000);
    const t2 = router.startTurn();
    answers.push(text(await t2.main(ask('again'))));
    t2.end();
    clock.advanceBy(60_000); // past the cooldown: the primary is tried again (and crashes again)
    const t3 = router.startTurn();
    answers.push(text(await t3.main(ask('later'))));
    t3.end();

    const result = { answers, notices, facts, health: registry.all(), status: registry.journalStatus() };
    await router.close();
    await registry.close();
    return { ...result, warnings: registry.warnings };
  }

  for (const place of UNWRITABLE) {
    it.skipIf(place.skip !== undefined)(`${place.name}${place.skip ? ` — skipped: ${place.skip}` : ''}: turn.main, title and auxiliary answer from the fallback, health is what a working journal gives, one journal.degraded notice`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lhr-unwritable-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const { path, undo } = await place.make(dir);
      if (undo) cleanups.push(undo);
      const primary = await server(faults.crash());
      const fallback = await server(faults.ok('from the fallback'));

      const unwritable = fileJournal(path);
      cleanups.push(() => unwritable.close());
      const broken = await threeTurns(unwritable, primary.url, fallback.url);
      const working = await threeTurns(memoryJournal(), primary.url, fallback.url);

      expect(broken.answers).toEqual(['from the fallback', 'from the fallback', 'from the fallback', 'from the fallback', 'from the fallback']);
      expect(broken.answers).toEqual(working.answers);
      // Health in memory is exactly what it is with a journal that works: same facts, same states.
      expect(broken.health).toEqual(working.health);
      expect(broken.health.find((v) => v.key.includes(primary.url.replace('http://', '')) && v.key.startsWith('anthropic|'))?.status).toBe('cooldown');
      const unstamped = (facts: HealthFact[]) => facts.map(({ writer: _, ...rest }) => rest);
      expect(unstamped(broken.facts)).toEqual(unstamped(working.facts));
      expect(broken.facts.map((f) => f.seq)).toEqual(broken.facts.map((_, i) => i + 1));

      const journalNotices = broken.notices.filter((n) => n.type.startsWith('journal.'));
      expect(journalNotices).toEqual([{ type: 'journal.degraded', location: path, at: T0, error: { code: place.code, message: expect.stringContaining(place.code) }, message: expect.stringContaining(`journal ${path} cannot be written`) }]);
      expect(broken.notices.filter((n) => !n.type.startsWith('journal.'))).toEqual(working.notices);
      expect(broken.status).toEqual({ ok: false, location: path, degradedSince: T0, error: { code: place.code, message: expect.any(String) }, pending: broken.facts.length, dropped: 0, errors: expect.any(Number) });
      expect(broken.warnings).toEqual([`${broken.facts.length} facts could not be written to ${path} before the registry closed: lost`]);
    });
  }
});
