import { Block } from '../schema/compile';
import { isUnknown } from '../values/unknown';
import { isObjectValue, ObjectValue, Value } from '../values/value';
import { DiagnosticList, PathStep } from './diagnostics';

/**
 * Runs the attribute validators of a schema over a configuration value, at any depth. Unknown and
 * null values are skipped: Terraform checks required attributes itself, and unknown values are
 * validated again once known (at apply).
 */
export function validateBlock(block: Block, value: ObjectValue, diagnostics: DiagnosticList, path: PathStep[] = []): void {
  for (const a of block.attributes) {
    const v = value[a.name];
    if (v === null || isUnknown(v)) continue;
    for (const check of a.validators) {
      const problem = check(v);
      if (problem) diagnostics.error(`Invalid value for "${a.name}"`, { detail: problem, path: [...path, a.name] });
    }
  }
  for (const b of block.blocks) {
    const v: Value = value[b.name];
    if (b.nesting === 'single' || b.nesting === 'group') {
      if (isObjectValue(v)) validateBlock(b.block, v, diagnostics, [...path, b.name]);
    } else if (Array.isArray(v)) {
      v.forEach((e, i) => {
        if (isObjectValue(e)) validateBlock(b.block, e, diagnostics, [...path, b.name, i]);
      });
    } else if (isObjectValue(v)) {
      for (const [k, e] of Object.entries(v)) {
        if (isObjectValue(e)) validateBlock(b.block, e, diagnostics, [...path, b.name, { key: k }]);
      }
    }
  }
}
