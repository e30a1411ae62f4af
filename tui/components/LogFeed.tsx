// Finished log lines of the selected host, printed once through <Static> above the live area:
// they scroll like a terminal log and are never redrawn (no flicker however many arrive).
import { Static, Text } from "ink";
import type { RunState } from "../state/types.js";
import { useTheme } from "../theme.js";

export function LogFeed({ feed, width }: { feed: RunState["feed"]; width: number }) {
  const theme = useTheme();
  return (
    // a new generation (host switch, or a full feed) starts a new Static that prints its items
    <Static key={feed.gen} items={feed.items}>
      {(item) => (
        <Text key={item.id} wrap="truncate">
          <Text color={theme.dim}>[{item.host}] </Text>
          {item.line.slice(0, width)}
        </Text>
      )}
    </Static>
  );
}
