// The preview diff of the chosen spec, its warnings and cost, and the confirm; for a grid, every
// cell's preview, each cell's cost and the total, and one confirm for all.
import { Box, Text } from "ink";
import type { State } from "../state/types.js";
import { usd, useTheme } from "../theme.js";
import { hasGrid } from "../state/fields.js";
import { CostLine } from "./CostLine.js";
import { GridSummary } from "./GridSummary.js";
import { FindingLine } from "./FindingLine.js";
import { ErrorBox } from "./ErrorBox.js";
import { ResourceList } from "./ResourceList.js";
import { StatusIcon } from "./StatusIcon.js";

function changesOf(preview: State["preview"]): string | undefined {
  return preview?.changes
    ? Object.entries(preview.changes)
        .map(([op, n]) => `${op} ${n}`)
        .join(", ") || "no changes"
    : undefined;
}

function GridPlan({ state, rows }: { state: State; rows: number }) {
  const theme = useTheme();
  const grid = state.form.grid;
  const preview = state.preview;
  if (!grid) return <Text color={theme.dim}>no plan</Text>;
  const changes = changesOf(preview);
  const ready = preview?.phase === "done" && grid.problems.length === 0;
  const existing = new Set(state.stacks.items.map((s) => s.name));
  const verb = grid.cells.some((c) => existing.has(c.stack)) ? "Create or update" : "Create";
  const rehearse = state.form.rehearse;
  const at = rehearse ? grid.rehearsal : { parallel: grid.parallel };
  const cellRows = Math.max(2, Math.min(grid.cells.length, rows - 12));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>grid {grid.name}</Text> from preset <Text bold>{state.form.choices?.preset}</Text>
        {`: ${grid.cells.length} experiments, ${at.parallel} at a time`}
        {rehearse ? <Text color={theme.warn}> · rehearse: the real payload runs locally</Text> : null}
      </Text>
      {rehearse && "note" in at && at.note ? <Text color={theme.warn}>{at.note}</Text> : null}
      <Text>
        <StatusIcon status={preview?.phase ?? "pending"} now={state.now} /> preview of every cell
        {changes ? `: ${changes}` : preview?.phase === "running" ? "…" : ""}
      </Text>
      <ResourceList resources={preview?.resources ?? []} now={state.now} max={Math.max(2, rows - 10 - cellRows)} />
      {preview?.error ? <ErrorBox problem={preview.error} title="preview failed" /> : null}
      {grid.cells.slice(0, cellRows).map((c) => (
        <Text key={c.stack} wrap="truncate">
          {`  ${c.stack.padEnd(24)} ≈ ${usd(c.plan.cost?.totalUsd)}, at most ${usd(c.plan.cost?.maxTotalUsd)}`}
        </Text>
      ))}
      {grid.cells.length > cellRows ? (
        <Text color={theme.dim}> … {grid.cells.length - cellRows} more cells</Text>
      ) : null}
      <GridSummary grid={grid} />
      <Text bold color={ready ? theme.ok : theme.dim}>
        {ready
          ? `${verb} these ${grid.cells.length} experiments? y to confirm, esc to edit`
          : grid.problems.length > 0
            ? "Fix the bad cells before creating (esc to edit)"
            : "Waiting for the preview…"}
      </Text>
    </Box>
  );
}

export function PlanScreen({ state, rows }: { state: State; rows: number }) {
  const theme = useTheme();
  const plan = state.form.plan;
  const preview = state.preview;
  if (hasGrid(state.form.extras)) return <GridPlan state={state} rows={rows} />;
  if (!plan) return <Text color={theme.dim}>no plan</Text>;
  const warnings = plan.findings.filter((f) => f.severity === "warning");
  const errors = plan.findings.filter((f) => f.severity === "error");
  const changes = changesOf(preview);
  const ready = preview?.phase === "done" && errors.length === 0 && plan.spec !== null;
  // an experiment that exists is updated, never created again
  const verb = state.stacks.items.some((s) => s.name === plan.stack) ? "Update" : "Create";
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{plan.stack}</Text> from preset <Text bold>{plan.spec?.preset ?? state.form.choices?.preset}</Text>
        {state.form.rehearse ? (
          <Text color={theme.warn}> · rehearse: the real payload runs locally in the sandbox</Text>
        ) : null}
      </Text>
      <Text>
        <StatusIcon status={preview?.phase ?? "pending"} now={state.now} /> preview
        {changes ? `: ${changes}` : preview?.phase === "running" ? "…" : ""}
      </Text>
      <ResourceList
        resources={preview?.resources ?? []}
        now={state.now}
        max={Math.max(3, rows - 8 - warnings.length)}
      />
      {preview?.error ? <ErrorBox problem={preview.error} title="preview failed" /> : null}
      {[...errors, ...warnings].map((f) => (
        <FindingLine
          key={`${f.severity} ${f.field} ${f.message}`}
          finding={{ ...f, message: `${f.field}: ${f.message}` }}
          indent={0}
        />
      ))}
      <CostLine cost={plan.cost} />
      <Text bold color={ready ? theme.ok : theme.dim}>
        {ready
          ? `${verb} this experiment? y to confirm, esc to edit`
          : errors.length > 0
            ? "Fix the errors before creating (esc to edit)"
            : "Waiting for the preview…"}
      </Text>
    </Box>
  );
}
