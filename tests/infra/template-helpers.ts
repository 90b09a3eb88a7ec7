// Reading synthesized templates the way a reviewer does: intrinsic functions rendered as text
// (`arn:<AWS::Partition>:s3:::commune-scorecard-raw-<AWS::AccountId>-<AWS::Region>/raw/*`), policies grouped by
// the role they are attached to, roles found by the function that uses them — never by hashed logical IDs.
import type { Template } from 'aws-cdk-lib/assertions';

type Json = unknown;

/** An intrinsic-laden value as text: Ref → <Name>, GetAtt → <Logical.Attr>, Join → concatenation, ImportValue → <import:Name>. */
export function render(v: Json): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object') {
    const o = v as Record<string, Json>;
    if ('Ref' in o) return `<${String(o.Ref)}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::ImportValue' in o) return `<import:${render(o['Fn::ImportValue'])}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, Json[]];
      return parts.map(render).join(sep);
    }
    if ('Fn::Sub' in o) return String(o['Fn::Sub']);
    return JSON.stringify(v);
  }
  return String(v);
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, unknown>;
}

function asList<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** Every statement of every policy (inline AWS::IAM::Policy and Role.Policies) attached to a role, by role logical id. */
export function statementsByRole(t: Template): Map<string, Statement[]> {
  const out = new Map<string, Statement[]>();
  const add = (role: string, doc: { Statement: unknown[] }) => {
    const list = out.get(role) ?? [];
    for (const s of doc.Statement as Record<string, unknown>[]) {
      list.push({
        Effect: s.Effect as 'Allow' | 'Deny',
        Action: asList(s.Action as string | string[]),
        Resource: asList(s.Resource as Json).map(render),
        ...(s.Condition ? { Condition: s.Condition as Record<string, unknown> } : {}),
      });
    }
    out.set(role, list);
  };
  for (const [, p] of Object.entries(t.findResources('AWS::IAM::Policy'))) {
    const props = (p as { Properties: { PolicyDocument: { Statement: unknown[] }; Roles?: Json[] } })
      .Properties;
    for (const r of props.Roles ?? []) add(render(r).replace(/^<|>$/g, ''), props.PolicyDocument);
  }
  for (const [id, r] of Object.entries(t.findResources('AWS::IAM::Role'))) {
    for (const p of (r as { Properties: { Policies?: { PolicyDocument: { Statement: unknown[] } }[] } })
      .Properties.Policies ?? []) {
      add(id, p.PolicyDocument);
    }
  }
  return out;
}

/** The logical id of the role a named Lambda function runs as. */
export function roleOfFunction(t: Template, functionName: string): string {
  const fns = t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: functionName } });
  const fn = Object.values(fns)[0] as { Properties: { Role: Json } } | undefined;
  if (!fn) throw new Error(`no function ${functionName}`);
  return render(fn.Properties.Role).replace(/^<|\.Arn>$/g, '');
}

/** Resources a role may perform any of `actions` on (Allow statements only). */
export function allowed(statements: Statement[], actions: readonly string[]): string[] {
  return statements
    .filter(
      (s) => s.Effect === 'Allow' && s.Action.some((a) => actions.includes(a) || a === 's3:*' || a === '*'),
    )
    .flatMap((s) => s.Resource);
}

export function denied(statements: Statement[], actions: readonly string[]): string[] {
  return statements
    .filter((s) => s.Effect === 'Deny' && s.Action.some((a) => actions.includes(a)))
    .flatMap((s) => s.Resource);
}

export const bucketArnText = (bucket: string) =>
  `arn:<AWS::Partition>:s3:::commune-scorecard-${bucket}-<AWS::AccountId>-<AWS::Region>`;
