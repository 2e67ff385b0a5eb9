/**
 * Read-only helpers the DataOps rules share: rendered CloudFormation properties, references between
 * resources, tags and number parsing.
 *
 * Rules judge what will be deployed, so they read each resource's *rendered* properties
 * (`CfnResource._toCloudFormation()`, resolved by its stack): typed L1s, generic `CfnResource`s
 * (CDK's singleton providers such as the LogRetention function are generic) and raw property
 * overrides all look the same. During one `validateScope` run the rendered properties and the
 * per-stack resource lists are cached ({@link withRenderCache}); outside a run nothing is cached,
 * so a rule called directly always sees the current tree.
 */
import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { NagRules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** A resolved CloudFormation value: JSON, possibly containing intrinsics. */
export type CfnValue = unknown;
/** The resolved `Properties` block of one resource. */
export type CfnProps = Readonly<Record<string, CfnValue>>;

interface RenderCache {
  readonly props: Map<CfnResource, CfnProps>;
  readonly stackResources: Map<Stack, readonly CfnResource[]>;
  readonly appResources: Map<IConstruct, readonly CfnResource[]>;
}

let cache: RenderCache | undefined;

/** Run `fn` with rendered properties and resource lists cached; the cache is dropped afterwards. */
export function withRenderCache<T>(fn: () => T): T {
  const previous = cache;
  cache = { props: new Map(), stackResources: new Map(), appResources: new Map() };
  try {
    return fn();
  } finally {
    cache = previous;
  }
}

/** The resolved CloudFormation `Properties` of a resource (`{}` when it renders none). */
export function cfnProperties(node: CfnResource): CfnProps {
  const cached = cache?.props.get(node);
  if (cached) return cached;
  const rendered = Stack.of(node).resolve(node._toCloudFormation()) as {
    Resources?: Record<string, { Properties?: Record<string, CfnValue> }>;
  };
  const definition = Object.values(rendered.Resources ?? {})[0];
  const props: CfnProps = definition?.Properties ?? {};
  cache?.props.set(node, props);
  return props;
}

/** The resource's logical id, resolved. */
export function logicalIdOf(node: CfnResource): string {
  return Stack.of(node).resolve(node.logicalId) as string;
}

/** Every CfnResource that belongs to the same stack as `node` (not nested stacks' resources). */
export function resourcesInStack(node: CfnResource): readonly CfnResource[] {
  const stack = Stack.of(node);
  const cached = cache?.stackResources.get(stack);
  if (cached) return cached;
  const found = stack.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
  cache?.stackResources.set(stack, found);
  return found;
}

/** Every CfnResource in the whole app (or whatever the root of `node`'s tree is). */
export function resourcesInApp(node: IConstruct): readonly CfnResource[] {
  const root = node.node.root;
  const cached = cache?.appResources.get(root);
  if (cached) return cached;
  const found = root.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
  cache?.appResources.set(root, found);
  return found;
}

/** The resources of `type` in `node`'s stack. */
export function stackResourcesOfType(node: CfnResource, type: string): readonly CfnResource[] {
  return resourcesInStack(node).filter((r) => r.cfnResourceType === type);
}

/**
 * The logical id a value references with `Ref` or `Fn::GetAtt` (array or `Id.Attr` string form), or
 * `undefined` when it is not such a reference (a literal, an import, a join...).
 */
export function referencedLogicalId(node: CfnResource, value: CfnValue): string | undefined {
  if (!isObject(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  if (value.Ref === undefined && !Array.isArray(getAtt)) return undefined;
  const target = NagRules.resolveResourceFromIntrinsic(node, value) as unknown;
  return typeof target === 'string' ? target : undefined;
}

/** The attribute of a `Fn::GetAtt` reference (`undefined` for `Ref` and anything else). */
export function referencedAttribute(value: CfnValue): string | undefined {
  if (!isObject(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (typeof getAtt === 'string') return getAtt.split('.').slice(1).join('.');
  if (Array.isArray(getAtt) && typeof getAtt[1] === 'string') return getAtt[1];
  return undefined;
}

/**
 * A value flattened to a string for comparisons: literals stay, `Ref`s become `${Ref:Id}`, `GetAtt`s
 * `${Id.Attr}`, joins are joined, `Fn::Sub` placeholders `${Id}` become `${Ref:Id}`.
 */
export function flattenValue(value: CfnValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObject(value)) return JSON.stringify(value) ?? '';
  if (typeof value.Ref === 'string') return `\${Ref:${value.Ref}}`;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `\${${getAtt.join('.')}}`;
  if (typeof getAtt === 'string') return `\${${getAtt}}`;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(flattenValue).join(join[0]);
  }
  const sub = value['Fn::Sub'];
  const template = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  if (template !== undefined) {
    return template.replace(/\$\{([A-Za-z0-9]+)\}/g, (_m, id: string) => `\${Ref:${id}}`);
  }
  return JSON.stringify(value);
}

/**
 * A property that must be a number: `undefined` when absent; a number (numeric strings accepted);
 * throws when it is an unresolved intrinsic, which cdk-nag reports as "rule threw an error" (acknowledge
 * the rule id if the value is genuinely only known at deploy time).
 */
export function numberValue(node: CfnResource, value: CfnValue, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const resolved = NagRules.resolveIfPrimitive(node, value) as unknown;
  const n = typeof resolved === 'string' && resolved.trim() !== '' ? Number(resolved) : resolved;
  if (typeof n !== 'number' || Number.isNaN(n)) {
    throw new Error(`${what} of ${node.node.path} is not a number: ${JSON.stringify(resolved)}`);
  }
  return n;
}

/** A property that must be a string: `undefined` when absent; throws when it is an unresolved intrinsic. */
export function stringValue(node: CfnResource, value: CfnValue, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const resolved = NagRules.resolveIfPrimitive(node, value) as unknown;
  if (typeof resolved !== 'string') {
    throw new Error(`${what} of ${node.node.path} is not a string: ${JSON.stringify(resolved)}`);
  }
  return resolved;
}

/** CloudFormation accepts JSON documents as strings in places (RedrivePolicy, KeyPolicy...). */
export function parseIfJsonString(value: CfnValue): CfnValue {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as CfnValue;
  } catch {
    return value;
  }
}

/** A value that may be one item or a list, as a list (`[]` when absent). */
export function asList(value: CfnValue): readonly CfnValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A nested property by path (`undefined` as soon as a step is missing). */
export function getPath(value: CfnValue, ...path: readonly string[]): CfnValue {
  let current: CfnValue = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function isObject(value: CfnValue): value is Record<string, CfnValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether CDK can tag the resource: its L1 has a TagManager (`tags` or `cdkTagManager`), or it renders
 * a `Tags` property anyway. Custom resources and untaggable types are not taggable.
 */
export function isTaggable(node: CfnResource): boolean {
  return (
    TagManager.isTaggable(node) || TagManager.isTaggableV2(node) || cfnProperties(node).Tags !== undefined
  );
}

/**
 * The tags the resource ends up with: its stack's tags (CloudFormation propagates stack tags to the
 * resources it creates), then the TagManager's tags, then the rendered `Tags` property (the rendered
 * value wins on conflicts, being what is deployed). Values that are intrinsics become flattened strings.
 */
export function effectiveTags(node: CfnResource): ReadonlyMap<string, string> {
  const tags = new Map<string, string>();
  for (const [k, v] of Object.entries(Stack.of(node).tags.tagValues())) tags.set(k, v);
  const manager = TagManager.isTaggable(node)
    ? node.tags
    : TagManager.isTaggableV2(node)
      ? node.cdkTagManager
      : undefined;
  if (manager) {
    for (const [k, v] of Object.entries(manager.tagValues())) tags.set(k, v);
  }
  for (const [k, v] of renderedTags(cfnProperties(node).Tags)) tags.set(k, v);
  return tags;
}

function renderedTags(value: CfnValue): Array<[string, string]> {
  if (Array.isArray(value)) {
    const out: Array<[string, string]> = [];
    for (const t of value) {
      if (!isObject(t)) continue;
      const key = t.Key ?? t.key;
      const val = t.Value ?? t.value;
      if (typeof key === 'string') out.push([key, flattenValue(val)]);
    }
    return out;
  }
  if (isObject(value)) return Object.entries(value).map(([k, v]) => [k, flattenValue(v)]);
  return [];
}
