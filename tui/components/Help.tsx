// `?`: every key of the current screen and the global ones, until `?` or Esc.
import { Box, Text } from "ink";
import type { KeyHelp } from "../keys.js";
import { useTheme } from "../theme.js";

const GLOBAL: KeyHelp = [
  ["?", "show or hide this help"],
  ["esc", "back"],
  ["ctrl-c", "quit (twice while an operation runs)"],
];

export function Help({ keys, screen }: { keys: KeyHelp; screen: string }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold color={theme.accent}>
        Keys on the {screen} screen
      </Text>
      {[...keys, ...GLOBAL].map(([key, what]) => (
        <Text key={`${key}-${what}`}>
          <Text bold>{key.padEnd(8)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
