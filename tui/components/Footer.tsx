// The keys of the screen, always on the last line.
import { Text } from "ink";
import type { KeyHelp } from "../keys.js";
import { useTheme } from "../theme.js";

export function Footer({ keys }: { keys: KeyHelp }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate" color={theme.dim}>
      {[...keys, ["?", "help"] as const].map(([key, what]) => `${key} ${what}`).join(" · ")}
    </Text>
  );
}
