// The whole UI: header, the current screen (or help), a notice, the footer. A pure render of
// the state that useAppState keeps; the backend arrives after the first frame.
import { Box, Text, useWindowSize } from "ink";
import { useAppState, type AppWiring } from "../hooks/use-app-state.js";
import { SCREEN_KEYS } from "../keys.js";
import type { State } from "../state/types.js";
import { ThemeContext, themeFor, type Theme } from "../theme.js";
import { Footer } from "./Footer.js";
import { Header } from "./Header.js";
import { Help } from "./Help.js";
import { InvokeScreen } from "./InvokeScreen.js";
import { NewExperimentScreen } from "./NewExperimentScreen.js";
import { PlanScreen } from "./PlanScreen.js";
import { CompareScreen } from "./CompareScreen.js";
import { ErrorBox } from "./ErrorBox.js";
import { RunScreen } from "./RunScreen.js";
import { StacksScreen } from "./StacksScreen.js";
import { TeardownScreen } from "./TeardownScreen.js";

export interface AppProps extends AppWiring {
  theme?: Theme;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
}

function Body({ state, rows, columns }: { state: State; rows: number; columns: number }) {
  switch (state.screen) {
    case "stacks":
      return <StacksScreen state={state} rows={rows - 1} />;
    case "new":
      return <NewExperimentScreen state={state} />;
    case "plan":
      return <PlanScreen state={state} rows={rows} />;
    case "run":
      return <RunScreen state={state} rows={rows} columns={columns} />;
    case "invoke":
      return <InvokeScreen state={state} />;
    case "teardown":
      return <TeardownScreen state={state} rows={rows} />;
    case "compare":
      return <CompareScreen state={state} rows={rows} columns={columns} />;
  }
}

export function App({ theme, size, ...wiring }: AppProps) {
  const state = useAppState(wiring);
  const terminal = useWindowSize();
  const columns = size?.columns ?? terminal.columns ?? 80;
  const rows = size?.rows ?? terminal.rows ?? 24;
  const keys = SCREEN_KEYS[state.screen];
  // header, footer, and a spare line so the live area never reaches the terminal's height
  const bodyRows = Math.max(6, rows - 3 - (state.notice ? 1 : 0));
  return (
    <ThemeContext value={theme ?? themeFor(process.env)}>
      <Box flexDirection="column" width={columns}>
        <Header screen={state.screen} sandbox={state.sandbox} stack={state.current} />
        {state.backendError && state.screen !== "stacks" ? (
          <ErrorBox problem={state.backendError} title="backend unavailable" />
        ) : null}
        {state.help ? (
          <Help keys={keys} screen={state.screen} />
        ) : (
          <Body state={state} rows={bodyRows} columns={columns} />
        )}
        {state.notice ? (
          <Text bold wrap="truncate">
            {state.notice}
          </Text>
        ) : null}
        <Footer keys={keys} />
      </Box>
    </ThemeContext>
  );
}
