// Title line with the screen name, and the SANDBOX banner whenever the sandbox cloud is in use.
import { Box, Text } from "ink";
import { useTheme } from "../theme.js";

const TITLES = {
  stacks: "Experiments",
  new: "New experiment",
  plan: "Plan",
  run: "Run",
  invoke: "Invoke",
  teardown: "Tear down",
  compare: "Compare",
} as const;

export function Header({
  screen,
  sandbox,
  stack,
}: {
  screen: keyof typeof TITLES;
  sandbox: boolean;
  stack?: string | undefined;
}) {
  const theme = useTheme();
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          zerostack
        </Text>
        <Text> · {TITLES[screen]}</Text>
        {stack && (screen === "run" || screen === "invoke") ? <Text bold> {stack}</Text> : null}
      </Text>
      {sandbox ? (
        <Text inverse bold color={theme.sandbox}>
          {" SANDBOX · local cloud, no AWS "}
        </Text>
      ) : null}
    </Box>
  );
}
