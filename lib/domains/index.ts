/**
 * Discovers the domains: every `lib/domains/<name>.ts` (lower snake case file name) that default-
 * exports a `defineDomain(...)`. Adding a domain is adding one file here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LakehouseError } from '../../constructs/errors';
import { DomainDefinition } from '../../lambda/shared/dataset';

const DOMAIN_FILE_RE = /^([a-z][a-z0-9_]*)\.ts$/;

export function loadDomains(dir: string = __dirname): DomainDefinition[] {
  const files = fs.readdirSync(dir).filter((f) => DOMAIN_FILE_RE.test(f) && f !== 'index.ts').sort();
  return files.map((file) => {
    const name = DOMAIN_FILE_RE.exec(file)![1];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file));
    const def: DomainDefinition | undefined = mod.default ?? mod.domain;
    if (!def || typeof def !== 'object') {
      throw new LakehouseError({ code: 'LH120', path: `lib/domains/${file}`, value: Object.keys(mod), problem: 'a domain file must default-export a domain definition', fix: 'end the file with `export default defineDomain({ ... })`' });
    }
    if (def.name !== name) {
      throw new LakehouseError({ code: 'LH121', path: `lib/domains/${file}`, value: def.name, problem: `the domain name must equal the file name (${name})`, fix: `rename the file to lib/domains/${def.name}.ts or the domain to "${name}"` });
    }
    return def;
  });
}
