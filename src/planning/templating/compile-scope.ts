/**
 * Variable scopes of the deploy-time compiler, modelled on nunjucks' frames so that `{% set %}`
 * and loop variables resolve the way they do when nunjucks renders:
 *
 * - template variables live in the context, below all frames;
 * - a `{% for %}` pushes a frame (one for the whole loop, not one per iteration); `{% if %}`
 *   does not;
 * - `{% set x %}` assigns to the nearest frame that already has `x`, else to the current one.
 *
 * Frames for loops and branches that Terraform evaluates ("dynamic") are where compilation
 * differs from rendering: Terraform template scopes cannot carry a value out of a `%{ for }` or an
 * `%{ if }`, so assignments that would need to are refused.
 */
import { TfExpr } from './tf-expr';

/** What a name means at some point of the template. */
export type Binding =
  /** A value known now; expressions reading only these are evaluated by nunjucks. */
  | { readonly kind: 'static'; readonly value: unknown }
  /** A value Terraform computes: a deploy-time variable, a loop variable, a `set` of one. */
  | { readonly kind: 'dynamic'; readonly expr: TfExpr }
  /** `loop` inside a Terraform `%{ for }`: its index variable and the iterable's length. */
  | { readonly kind: 'loop'; readonly index: string; readonly length: string };

/** A static loop is unrolled at compile time; dynamic frames are Terraform `for`s and `if`s. */
export type FrameKind = 'root' | 'static-loop' | 'dynamic-loop' | 'dynamic-if';

/** One nunjucks-style frame. */
export class Frame {
  private readonly vars = new Map<string, Binding>();
  /** Names read (through this frame) while compiling a dynamic loop's body. */
  private readonly reads = new Set<string>();

  /**
   * @param context The template variables, below all frames.
   * @param terraformNames Names this frame declares in the Terraform template (`ip`, `i`).
   */
  constructor(
    readonly kind: FrameKind,
    readonly parent: Frame | undefined,
    private readonly context: ReadonlyMap<string, Binding>,
    readonly terraformNames: readonly string[] = [],
  ) {}

  /** A frame nested in this one. */
  public child(kind: FrameKind, terraformNames: readonly string[] = []): Frame {
    return new Frame(kind, this, this.context, terraformNames);
  }

  /** What `name` means here; undefined for names nothing binds (nunjucks reads them as undefined). */
  public lookup(name: string): Binding | undefined {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      if (f.kind === 'dynamic-loop') f.reads.add(name);
      const b = f.vars.get(name);
      if (b) return b;
    }
    return this.context.get(name);
  }

  /** Bind a loop variable (or `loop`) in this frame. */
  public bind(name: string, binding: Binding): void {
    this.vars.set(name, binding);
  }

  /**
   * `{% set name = ... %}` here. Returns why it cannot be expressed in Terraform, or undefined
   * once done.
   */
  public assign(name: string, binding: Binding): string | undefined {
    let crossed: Frame | undefined;
    for (let f: Frame | undefined = this; f; f = f.parent) {
      if (f.vars.has(name)) {
        if (crossed) {
          return `it assigns "${name}", which was defined outside the enclosing ${describe(
            crossed,
          )}; Terraform cannot carry a value out of it`;
        }
        f.vars.set(name, binding);
        return undefined;
      }
      if (!crossed && (f.kind === 'dynamic-loop' || f.kind === 'dynamic-if')) crossed = f;
    }
    if (this.kind === 'dynamic-if') {
      return `it assigns "${name}" inside an {% if %} whose condition is only known at deploy time`;
    }
    if (this.kind === 'dynamic-loop' && this.reads.has(name)) {
      return `"${name}" is read before this assignment in a loop Terraform runs, so nunjucks would carry its value from one iteration to the next`;
    }
    this.vars.set(name, binding);
    return undefined;
  }

  /** Every static value visible here, for evaluating static expressions with nunjucks. */
  public staticValues(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, b] of this.context) if (b.kind === 'static') out[k] = b.value;
    const chain: Frame[] = [];
    for (let f: Frame | undefined = this; f; f = f.parent) chain.unshift(f);
    for (const f of chain) for (const [k, b] of f.vars) if (b.kind === 'static') out[k] = b.value;
    return out;
  }

  /** Terraform names declared by enclosing dynamic loops (to avoid shadowing them). */
  public terraformNamesInScope(): Set<string> {
    const out = new Set<string>();
    for (let f: Frame | undefined = this; f; f = f.parent) f.terraformNames.forEach((n) => out.add(n));
    return out;
  }
}

function describe(f: Frame): string {
  return f.kind === 'dynamic-loop' ? '{% for %} (a Terraform loop)' : '{% if %} (decided at deploy time)';
}
