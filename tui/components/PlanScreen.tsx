// The preview diff of the chosen spec, its warnings and cost, and the confirm.
import { Box, Text } from "ink";
import type { State } from "../state/types.js";
import { useTheme } from "../theme.js";
import { CostLine } from "./CostLine.js";
import { FindingLine } from "./FindingLine.js";
import { ErrorBox } from "./ErrorBox.js";
import { ResourceList } from "./ResourceList.js";
import { StatusIcon } from "./StatusIcon.js";

export function PlanScreen({ state, rows }: { state: State; rows: number }) {
  const theme = useTheme();
  const plan = state.form.plan;
  const preview = state.preview;
  if (!plan) return <Text color={theme.dim}>no plan</Text>;
  const warnings = plan.findings.filter((f) => f.severity === "warning");
  const errors = plan.findings.filter((f) => f.severity === "error");
  const changes = preview?.changes
    ? Object.entries(preview.changes)
        .map(([op, n]) => `${op} ${n}`)
        .join(", ") || "no changes"
    : undefined;
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
