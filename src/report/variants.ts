import type { CaseResult, RunResult } from "../results/schema.ts";

/** A case and its cross-domain variant: the two verdicts reports put side by side. */
export interface VariantRow {
  id: string;
  title: string;
  single: Pick<CaseResult, "id" | "verdict">;
  cross: Pick<CaseResult, "id" | "verdict" | "variant">;
  /** The verdicts differ: across servers the case goes another way than on one server. */
  differ: boolean;
}

/** The run's cross-domain variants with the single-server case each was made from (absent: a run without --cross-domain). */
export function variantRows(run: RunResult): VariantRow[] {
  const byId = new Map(run.cases.map((c) => [c.id, c]));
  return run.cases.flatMap((cross) => {
    const single = cross.variant && byId.get(cross.variant.of);
    if (!single) return [];
    return [{ id: single.id, title: single.title, single, cross, differ: single.verdict !== cross.verdict }];
  });
}

/** The heading of the variants' column: where their contacts were. */
export const acrossServers = (run: Pick<RunResult, "target">) => `across servers (contacts on ${run.target.peer?.domain ?? "domain b"})`;
