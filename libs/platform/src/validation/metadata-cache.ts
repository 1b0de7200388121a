import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
type RulesByProperty = ReturnType<MetadataStorage['groupByPropertyName']>;

const kept = new WeakSet<MetadataStorage>();

/**
 * class-validator works out a DTO's rules again for every object it validates, nested ones included:
 * `getTargetValidationMetadatas` walks every registered class looking for the DTO's ancestors and
 * filters their rules, `groupByPropertyName` regroups them, each time in new arrays (3 % of all the
 * server's allocations in the bench's command mix). The rules change only when a decorator adds
 * one, which happens as modules load, so both answers are kept per class and options until a rule
 * is added. class-validator's executor only reads them.
 */
export function keepValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  if (kept.has(storage)) return;
  kept.add(storage);
  let rulesOf = new Map<unknown, Map<string, Rules>>();
  let grouped = new WeakMap<Rules, RulesByProperty>();

  const addRule = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (rule) => {
    rulesOf = new Map();
    grouped = new WeakMap();
    addRule(rule);
  };

  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // No groups and an empty list of groups select the same rules.
    const options = [schema, always, strictGroups, ...(groups ?? [])].join('\u0000');
    let byOptions = rulesOf.get(target);
    if (!byOptions) rulesOf.set(target, (byOptions = new Map()));
    let rules = byOptions.get(options);
    if (!rules) byOptions.set(options, (rules = lookUp(target, schema, always, strictGroups, groups)));
    return rules;
  };

  const group = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (rules) => {
    let byProperty = grouped.get(rules);
    if (!byProperty) grouped.set(rules, (byProperty = group(rules)));
    return byProperty;
  };
}
