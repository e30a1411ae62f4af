// Choose a preset, then change what matters; guards and cost update as you go. An axis with
// several values makes a grid: its size, total cost and bad cells show under the fields.
import { Box, Text } from "ink";
import type { PlanFinding } from "../../program/app/contract.js";
import { FIELDS, hasGrid, isGridField } from "../state/fields.js";
import type { State } from "../state/types.js";
import { useTheme } from "../theme.js";
import { CostLine } from "./CostLine.js";
import { FindingLine } from "./FindingLine.js";
import { FormField } from "./FormField.js";
import { GridSummary } from "./GridSummary.js";
import { StatusIcon } from "./StatusIcon.js";

export function NewExperimentScreen({ state }: { state: State }) {
  const theme = useTheme();
  const { form, catalog } = state;
  const choices = form.choices;
  if (!catalog || !choices) {
    return (
      <Text>
        <StatusIcon status="running" now={state.now} /> loading the preset catalog…
      </Text>
    );
  }
  const findings = form.plan?.findings ?? [];
  const fieldOf = (key: string): string | undefined =>
    key === "rehearse" ? undefined : catalog.fields[key as keyof typeof catalog.fields];
  const claimed = new Set(FIELDS.map((f) => fieldOf(f.key)).filter((f) => f !== undefined));
  const onField = (key: string): PlanFinding[] => findings.filter((f) => f.field === fieldOf(key));
  const others = findings.filter((f) => !claimed.has(f.field));
  const preset = catalog.presets.find((p) => p.name === choices.preset);
  const grid = hasGrid(form.extras) ? form.grid : null;
  return (
    <Box flexDirection="column">
      {FIELDS.map((field, i) => (
        <FormField
          key={field.key}
          field={field}
          value={field.key === "rehearse" ? form.rehearse : choices[field.key]}
          more={isGridField(field.key) ? form.extras[field.key] : undefined}
          focused={i === form.focus}
          findings={onField(field.key)}
          note={
            field.key === "preset"
              ? preset?.description
              : field.key === "rehearse" && !state.sandbox
                ? "(sandbox only)"
                : undefined
          }
        />
      ))}
      {others.slice(0, 3).map((f) => (
        <FindingLine
          key={`${f.severity} ${f.field} ${f.message}`}
          finding={{ ...f, message: `${f.field}: ${f.message}` }}
          indent={2}
        />
      ))}
      {others.length > 3 ? <Text color={theme.dim}> … {others.length - 3} more</Text> : null}
      {grid ? <GridSummary grid={grid} /> : <CostLine cost={form.plan?.cost ?? null} />}
    </Box>
  );
}
