// What is running, for how long, and what it has cost so far.
import { Text } from "ink";
import type { RunState } from "../state/types.js";
import { duration, usd, useTheme } from "../theme.js";
import { StatusIcon } from "./StatusIcon.js";

const WORDS = { up: "creating", attach: "watching", preview: "previewing", destroy: "destroying" } as const;

export function RunSummary({ run, now }: { run: RunState; now: number }) {
  const theme = useTheme();
  const elapsed = (run.finishedAt ?? now) - run.startedAt;
  const phase =
    run.phase === "running"
      ? WORDS[run.action]
      : run.phase === "done"
        ? run.action === "attach"
          ? "watch ended"
          : `${run.action} done`
        : `${run.action} failed`;
  return (
    <Text wrap="truncate">
      <StatusIcon status={run.phase} now={now} /> <Text bold>{phase}</Text>
      <Text color={theme.dim}>
        {" "}
        · elapsed {duration(elapsed)} · cost so far {usd(run.costUsd)}
        {run.estimate ? ` of ≈ ${usd(run.estimate.expectedUsd)} expected` : ""}
      </Text>
      {run.changes ? (
        <Text color={theme.dim}>
          {" "}
          ·{" "}
          {Object.entries(run.changes)
            .map(([op, n]) => `${op} ${n}`)
            .join(", ")}
        </Text>
      ) : null}
    </Text>
  );
}
