/**
 * Compares the batched Control Tower run with one unbatched cfn-guard call (every rule file, full
 * templates) over a cloud assembly, and prints both times and whether they find the same
 * `<template> <control> <logical id>` set:
 *
 *   npx cdk synth --quiet -o /tmp/out && npx tsx test/bench/scale/ct-compare.ts /tmp/out
 *
 * The unbatched call costs about 4–7 s per domain template: use small assemblies.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { runGuardBatched, loadGuardRules, defaultGuardBinary, defaultRulesDir } from '../../../lib/compliance';
const dir = process.argv[2];
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(dir, f));
const templates = files.map((p) => ({ path: p, document: JSON.parse(fs.readFileSync(p, 'utf8')) }));
const rules = loadGuardRules();
const byName = new Map(rules.map((r) => [r.ruleName, r.controlId]));
let t = Date.now();
const b = [...new Set(runGuardBatched(templates, { guardPath: defaultGuardBinary(), rules }).findings.map((f) => `${path.basename(f.templatePath)} ${f.rule.controlId} ${f.logicalId}`))].sort();
const tb = Date.now() - t; t = Date.now();
const out = spawnSync(defaultGuardBinary(), ['validate', '--rules', defaultRulesDir(), ...files.flatMap((f) => ['--data', f]), '--output-format', 'json', '--show-summary', 'none', '--structured'], { maxBuffer: 1024 ** 3 });
const tu = Date.now() - t;
const u = new Set<string>();
for (const r of JSON.parse(out.stdout.toString())) for (const i of r.not_compliant) for (const m of JSON.stringify(i.Rule).matchAll(/"path":"\/Resources\/([^/"[\]]+)/g)) u.add(`${path.basename(r.name)} ${byName.get(i.Rule.name)} ${m[1]}`);
const ua = [...u].sort();
console.log(JSON.stringify({ batchedMs: tb, unbatchedMs: tu, batched: b.length, unbatched: ua.length, equal: JSON.stringify(b) === JSON.stringify(ua), onlyBatched: b.filter((x) => !u.has(x)), onlyUnbatched: ua.filter((x) => !b.includes(x)) }));
